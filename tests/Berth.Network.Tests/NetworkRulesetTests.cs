using System.Net;
using Berth.Core;
using Berth.Network.Addressing;
using Berth.Network.Firewall;

namespace Berth.Network.Tests;

public sealed class NetworkRulesetTests
{
    private static readonly BridgeNetwork Default = new("berth0", Subnet.Parse("10.203.0.0/16"));
    private static readonly BridgeNetwork Isolated = new("berth1", Subnet.Parse("10.204.1.0/24"), Internal: true);

    [Fact]
    public void Renders_masquerade_dnat_isolation_and_guard()
    {
        var ruleset = new NetworkRuleset(
            [Default, Isolated],
            [
                new PortMapping(TransportProtocol.Tcp, null, 8080, IPAddress.Parse("10.203.0.2"), 80),
                new PortMapping(TransportProtocol.Udp, IPAddress.Parse("127.0.0.1"), 5353, IPAddress.Parse("10.203.0.3"), 53),
            ]);
        var batch = ruleset.ToBatch();
        Assert.StartsWith("table inet berth {}\ndelete table inet berth\ntable inet berth {\n", batch);
        Assert.Contains("meta nfproto ipv4 tcp dport 8080 dnat ip to 10.203.0.2:80", batch);
        Assert.Contains("ip daddr 127.0.0.1 udp dport 5353 dnat ip to 10.203.0.3:53", batch);
        Assert.Contains("ip saddr 10.203.0.0/16 oifname != \"berth0\" masquerade", batch);
        Assert.Contains("ct status dnat ip saddr 10.203.0.0/16 ip daddr 10.203.0.0/16 masquerade", batch);
        Assert.DoesNotContain("ip saddr 10.204.1.0/24", batch);
        Assert.Contains("iifname \"berth1\" oifname != \"berth1\" drop", batch);
        Assert.Contains("oifname \"berth0\" ct status dnat accept", batch);
        Assert.Contains("iifname { \"berth0\", \"berth1\" } ip daddr 127.0.0.0/8 drop", batch);
    }

    [Fact]
    public void Empty_ruleset_renders_a_valid_empty_table()
    {
        var table = new NetworkRuleset([], []).ToTable();
        Assert.DoesNotContain("masquerade", table);
        Assert.DoesNotContain("dnat ip", table);
    }

    [Theory]
    [InlineData(0, 80, "invalid host port 0: must be 1-65535")]
    [InlineData(80, 70000, "invalid container port 70000: must be 1-65535")]
    public void Bad_ports_are_rejected(int hostPort, int containerPort, string message)
    {
        var ruleset = new NetworkRuleset([Default], [new PortMapping(TransportProtocol.Tcp, null, hostPort, IPAddress.Parse("10.203.0.2"), containerPort)]);
        Assert.Equal(message, Assert.Throws<BerthException>(() => ruleset.ToBatch()).Message);
    }

    [Fact]
    public void Duplicate_published_port_is_a_conflict()
    {
        var ruleset = new NetworkRuleset([Default],
        [
            new PortMapping(TransportProtocol.Tcp, null, 8080, IPAddress.Parse("10.203.0.2"), 80),
            new PortMapping(TransportProtocol.Tcp, IPAddress.Parse("127.0.0.1"), 8080, IPAddress.Parse("10.203.0.3"), 80),
        ]);
        var e = Assert.Throws<BerthException>(() => ruleset.ToBatch());
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains("host port 8080/tcp is already published", e.Message);
        // Same port, other protocol: fine.
        new NetworkRuleset([Default],
        [
            new PortMapping(TransportProtocol.Tcp, null, 8080, IPAddress.Parse("10.203.0.2"), 80),
            new PortMapping(TransportProtocol.Udp, null, 8080, IPAddress.Parse("10.203.0.3"), 80),
        ]).ToBatch();
    }

    [Fact]
    public void Bad_names_are_rejected()
    {
        Assert.Equal("invalid nftables table name \"1x\"",
            Assert.Throws<BerthException>(() => new NetworkRuleset([], [], "1x").ToBatch()).Message);
        Assert.Equal("bridge name \"a\"b\" cannot be used in an nftables rule",
            Assert.Throws<BerthException>(() => new NetworkRuleset([new BridgeNetwork("a\"b", Subnet.Parse("10.0.0.0/24"))], []).ToBatch()).Message);
        Assert.Equal("bridge berth0 is listed twice",
            Assert.Throws<BerthException>(() => new NetworkRuleset([Default, Default], []).ToBatch()).Message);
    }
}
