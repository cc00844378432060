using System.Net;
using System.Text.Json;
using Berth.Core;
using Berth.Network.Addressing;

namespace Berth.Network.Tests;

public sealed class IpamTests
{
    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    [Fact]
    public void Allocates_sequentially_skipping_network_gateway_and_broadcast()
    {
        var ipam = new Ipam(Subnet.Parse("10.2.0.0/29"));
        Assert.Equal(Ip("10.2.0.1"), ipam.Gateway);
        var all = Enumerable.Range(0, 5).Select(_ => ipam.Allocate().ToString()).ToList();
        Assert.Equal(["10.2.0.2", "10.2.0.3", "10.2.0.4", "10.2.0.5", "10.2.0.6"], all);
        var e = Assert.Throws<BerthException>(() => ipam.Allocate());
        Assert.Equal(ErrorKind.FailedPrecondition, e.Kind);
        Assert.Equal("no free IPv4 address left in subnet 10.2.0.0/29", e.Message);
        Assert.True(ipam.Release(Ip("10.2.0.4")));
        Assert.False(ipam.Release(Ip("10.2.0.4")));
        Assert.Equal(Ip("10.2.0.4"), ipam.Allocate());
    }

    [Fact]
    public void Released_addresses_are_reused_last()
    {
        var ipam = new Ipam(Subnet.Parse("10.2.0.0/24"));
        var first = ipam.Allocate();
        ipam.Release(first);
        Assert.Equal(Ip("10.2.0.3"), ipam.Allocate());
    }

    [Fact]
    public void Custom_gateway_is_skipped()
    {
        var ipam = new Ipam(Subnet.Parse("10.2.0.0/29"), Ip("10.2.0.2"));
        Assert.Equal(Ip("10.2.0.1"), ipam.Allocate());
        Assert.Equal(Ip("10.2.0.3"), ipam.Allocate());
    }

    [Fact]
    public void Ip_range_limits_automatic_allocation_but_not_explicit()
    {
        var ipam = new Ipam(Subnet.Parse("10.2.0.0/16"), ipRange: Subnet.Parse("10.2.5.0/30"));
        Assert.Equal(Ip("10.2.5.0"), ipam.Allocate());
        Assert.Equal(Ip("10.2.5.1"), ipam.Allocate());
        Assert.Equal(Ip("10.2.5.2"), ipam.Allocate());
        Assert.Equal(Ip("10.2.5.3"), ipam.Allocate());
        var e = Assert.Throws<BerthException>(() => ipam.Allocate());
        Assert.Equal("no free IPv4 address left in ip-range 10.2.5.0/30 of subnet 10.2.0.0/16", e.Message);
        Assert.Equal(Ip("10.2.9.9"), ipam.Allocate(Ip("10.2.9.9")));
    }

    [Fact]
    public void Explicit_addresses_are_checked()
    {
        var ipam = new Ipam(Subnet.Parse("10.2.0.0/24"));
        ipam.Allocate(Ip("10.2.0.50"));
        var duplicate = Assert.Throws<BerthException>(() => ipam.Allocate(Ip("10.2.0.50")));
        Assert.Equal(ErrorKind.Conflict, duplicate.Kind);
        Assert.Equal("address 10.2.0.50 is already in use in subnet 10.2.0.0/24", duplicate.Message);
        Assert.Equal("address 10.3.0.5 is outside subnet 10.2.0.0/24",
            Assert.Throws<BerthException>(() => ipam.Allocate(Ip("10.3.0.5"))).Message);
        Assert.Equal("address 10.2.0.1 is the gateway of subnet 10.2.0.0/24",
            Assert.Throws<BerthException>(() => ipam.Allocate(Ip("10.2.0.1"))).Message);
        Assert.Equal("address 10.2.0.255 is the network or broadcast address of subnet 10.2.0.0/24",
            Assert.Throws<BerthException>(() => ipam.Allocate(Ip("10.2.0.255"))).Message);
    }

    [Fact]
    public void Bad_configuration_is_rejected_naming_the_values()
    {
        Assert.Equal("gateway 10.1.0.1 is outside subnet 10.2.0.0/16",
            Assert.Throws<BerthException>(() => new Ipam(Subnet.Parse("10.2.0.0/16"), Ip("10.1.0.1"))).Message);
        Assert.Equal("ip-range 10.3.0.0/24 is outside subnet 10.2.0.0/16",
            Assert.Throws<BerthException>(() => new Ipam(Subnet.Parse("10.2.0.0/16"), ipRange: Subnet.Parse("10.3.0.0/24"))).Message);
        Assert.Equal("subnet 10.2.0.0/31 is too small: a network needs at least a /30",
            Assert.Throws<BerthException>(() => new Ipam(Subnet.Parse("10.2.0.0/31"))).Message);
        Assert.Equal("gateway 10.2.0.0 is the network or broadcast address of subnet 10.2.0.0/24",
            Assert.Throws<BerthException>(() => new Ipam(Subnet.Parse("10.2.0.0/24"), Ip("10.2.0.0"))).Message);
    }

    [Fact]
    public void State_round_trips_through_json_and_rebuild_from_used_addresses()
    {
        var ipam = new Ipam(Subnet.Parse("10.2.0.0/24"), ipRange: Subnet.Parse("10.2.0.128/25"));
        ipam.Allocate();
        ipam.Allocate(Ip("10.2.0.9"));
        var json = JsonSerializer.Serialize(ipam.State, NetworkJson.Default.IpamState);
        var restored = Ipam.FromState(JsonSerializer.Deserialize(json, NetworkJson.Default.IpamState)!);
        Assert.Equal(ipam.Allocated, restored.Allocated);
        Assert.Equal(ipam.IpRange, restored.IpRange);
        Assert.Equal(Ip("10.2.0.129"), restored.Allocate());

        var rebuilt = new Ipam(Subnet.Parse("10.2.0.0/24"), allocated: [Ip("10.2.0.2"), Ip("10.2.0.3")]);
        Assert.Equal(Ip("10.2.0.4"), rebuilt.Allocate());
        Assert.True(rebuilt.IsAllocated(Ip("10.2.0.3")));
    }
}
