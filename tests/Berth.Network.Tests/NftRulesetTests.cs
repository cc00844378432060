using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core;
using Berth.Network.Addressing;
using Berth.Network.Firewall;
using Berth.Network.Sandbox;

namespace Berth.Network.Tests;

/// <summary>Applies rulesets to a test-only table ("bt_" + hex) and checks real traffic between test namespaces.</summary>
[Trait("Category", "Root")]
public sealed class NftRulesetTests
{
    [Fact]
    public void Apply_replaces_the_table_atomically_and_bad_batches_keep_the_old_one()
    {
        var table = "bt_" + TestNames.Hex(6);
        try
        {
            var network = new BridgeNetwork("bt" + TestNames.Hex(6), Subnet.Parse("10.250.1.0/24"));
            NftRuleset.Apply(new NetworkRuleset([network], [new PortMapping(TransportProtocol.Tcp, null, 18080, IPAddress.Parse("10.250.1.2"), 80)], table));
            Assert.Contains("dport 18080", NftRuleset.ListTable(table));
            NftRuleset.Apply(new NetworkRuleset([network], [new PortMapping(TransportProtocol.Udp, null, 18081, IPAddress.Parse("10.250.1.2"), 81)], table));
            var listed = NftRuleset.ListTable(table)!;
            Assert.DoesNotContain("dport 18080", listed);
            Assert.Contains("udp dport 18081", listed);

            var e = Assert.Throws<BerthException>(() => NftRuleset.Run($"table inet {table} {{}}\ndelete table inet {table}\ntable inet {table} {{ chain x {{ bogus rule }} }}\n", $"table inet {table}"));
            Assert.Contains($"nft -f - for table inet {table} failed", e.Message);
            Assert.Contains("udp dport 18081", NftRuleset.ListTable(table));
        }
        finally
        {
            NftRuleset.DeleteTable(table);
        }
        Assert.Null(NftRuleset.ListTable(table));
        NftRuleset.DeleteTable(table); // absent is fine
    }

    [Fact]
    public async Task Published_ports_reach_the_container_from_localhost_and_from_the_gateway_address()
    {
        using var fixture = new NetnsSandboxFixture();
        var table = "bt_" + TestNames.Hex(6);
        var bridge = fixture.NewLink();
        var prefix = $"10.{Random.Shared.Next(230, 250)}.{Random.Shared.Next(0, 255)}";
        var gateway = IPAddress.Parse(prefix + ".1");
        var container = IPAddress.Parse(prefix + ".2");
        NetworkSandbox.EnsureBridge(bridge, gateway, 24);
        var ns = fixture.NewNamespace();
        NetworkSandbox.ConnectContainer(bridge, fixture.NewLink(), ns, container, 24, gateway);
        var hostPort = Random.Shared.Next(20000, 30000);
        try
        {
            NftRuleset.Apply(new NetworkRuleset(
                [new BridgeNetwork(bridge, Subnet.Create(gateway, 24))],
                [new PortMapping(TransportProtocol.Tcp, null, hostPort, container, 80)], table));
            using var listener = NetnsScope.Run(ns, () =>
            {
                var l = new TcpListener(container, 80);
                l.Start();
                return l;
            });
            var serve = Serve(listener, 3);
            Assert.Equal("hello " + gateway, await Read(IPAddress.Loopback, hostPort));
            Assert.Equal("hello " + gateway, await Read(gateway, hostPort));
            // Hairpin: the container reaches itself through its own published port (a routed path, so forwarding is needed).
            Sysctl.SetForwarding(bridge, true);
            Assert.Equal("hello " + gateway, await NetnsScope.Run(ns, () => Read(gateway, hostPort)));
            await serve.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            NftRuleset.DeleteTable(table);
        }
    }

    [Fact]
    public async Task Bridges_are_isolated_from_each_other()
    {
        using var fixture = new NetnsSandboxFixture();
        var table = "bt_" + TestNames.Hex(6);
        var octet = Random.Shared.Next(0, 120) * 2;
        var (bridgeA, bridgeB) = (fixture.NewLink(), fixture.NewLink());
        var (gatewayA, gatewayB) = (IPAddress.Parse($"10.249.{octet}.1"), IPAddress.Parse($"10.249.{octet + 1}.1"));
        var (ipA, ipB) = (IPAddress.Parse($"10.249.{octet}.2"), IPAddress.Parse($"10.249.{octet + 1}.2"));
        NetworkSandbox.EnsureBridge(bridgeA, gatewayA, 24);
        NetworkSandbox.EnsureBridge(bridgeB, gatewayB, 24);
        // Forwarding only for the test bridges, so the host's global ip_forward is left alone.
        Sysctl.SetForwarding(bridgeA, true);
        Sysctl.SetForwarding(bridgeB, true);
        var (nsA, nsB) = (fixture.NewNamespace(), fixture.NewNamespace());
        NetworkSandbox.ConnectContainer(bridgeA, fixture.NewLink(), nsA, ipA, 24, gatewayA);
        NetworkSandbox.ConnectContainer(bridgeB, fixture.NewLink(), nsB, ipB, 24, gatewayB);
        using var listener = NetnsScope.Run(nsB, () =>
        {
            var l = new TcpListener(ipB, 80);
            l.Start();
            return l;
        });
        var serve = Serve(listener, 1);
        // Routed between bridges without our table: reachable (the path works).
        Assert.Equal("hello " + ipA, await NetnsScope.Run(nsA, () => Read(ipB, 80)));
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        try
        {
            NftRuleset.Apply(new NetworkRuleset(
                [new BridgeNetwork(bridgeA, Subnet.Create(gatewayA, 24)), new BridgeNetwork(bridgeB, Subnet.Create(gatewayB, 24))], [], table));
            var blocked = await NetnsScope.Run(nsA, () => CanConnect(ipB, 80));
            Assert.False(blocked);
        }
        finally
        {
            NftRuleset.DeleteTable(table);
        }
    }

    [Fact]
    public async Task Outbound_traffic_is_masqueraded_and_internal_networks_cannot_leave()
    {
        using var fixture = new NetnsSandboxFixture();
        var table = "bt_" + TestNames.Hex(6);
        var octet = Random.Shared.Next(0, 80) * 3;
        var (bridge, isolated, uplink) = (fixture.NewLink(), fixture.NewLink(), fixture.NewLink());
        var (gateway, gatewayInternal) = (IPAddress.Parse($"10.248.{octet}.1"), IPAddress.Parse($"10.248.{octet + 1}.1"));
        var (hostSide, outside) = (IPAddress.Parse($"10.248.{octet + 2}.1"), IPAddress.Parse($"10.248.{octet + 2}.2"));
        NetworkSandbox.EnsureBridge(bridge, gateway, 24);
        NetworkSandbox.EnsureBridge(isolated, gatewayInternal, 24);
        // A stand-in for "the internet": a namespace reached through a veth with its own subnet and no route back to the bridges.
        var outsideNs = fixture.NewNamespace();
        var container = fixture.NewNamespace();
        NetworkSandbox.ConnectContainer(bridge, fixture.NewLink(), container, IPAddress.Parse($"10.248.{octet}.2"), 24, gateway);
        var internalNs = fixture.NewNamespace();
        NetworkSandbox.ConnectContainer(isolated, fixture.NewLink(), internalNs, IPAddress.Parse($"10.248.{octet + 1}.2"), 24, gatewayInternal);
        using (var netlink = new Netlink.Rtnetlink())
        {
            var fd = File.OpenHandle(outsideNs);
            netlink.CreateVeth(uplink, "eth0", 1500, (int)fd.DangerousGetHandle());
            fd.Dispose();
            netlink.AddAddress(uplink, hostSide, 24);
            netlink.SetUp(uplink);
        }
        NetnsScope.Run(outsideNs, () =>
        {
            using var netlink = new Netlink.Rtnetlink();
            netlink.AddAddress("eth0", outside, 24);
            netlink.SetUp("eth0");
            netlink.SetUp("lo");
        });
        foreach (var link in new[] { bridge, isolated, uplink }) Sysctl.SetForwarding(link, true);
        using var listener = NetnsScope.Run(outsideNs, () =>
        {
            var l = new TcpListener(outside, 80);
            l.Start();
            return l;
        });
        try
        {
            NftRuleset.Apply(new NetworkRuleset(
                [new BridgeNetwork(bridge, Subnet.Create(gateway, 24)), new BridgeNetwork(isolated, Subnet.Create(gatewayInternal, 24), Internal: true)],
                [], table));
            var serve = Serve(listener, 1);
            Assert.Equal("hello " + hostSide, await NetnsScope.Run(container, () => Read(outside, 80)));
            await serve.WaitAsync(TimeSpan.FromSeconds(10));
            Assert.False(await NetnsScope.Run(internalNs, () => CanConnect(outside, 80)));
        }
        finally
        {
            NftRuleset.DeleteTable(table);
        }
    }

    private static Task Serve(TcpListener listener, int count) => Task.Run(async () =>
    {
        for (var i = 0; i < count; i++)
        {
            using var client = await listener.AcceptTcpClientAsync();
            var remote = ((IPEndPoint)client.Client.RemoteEndPoint!).Address.ToString();
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("hello " + remote));
        }
    });

    private static async Task<string> Read(IPAddress address, int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(5));
        using var reader = new StreamReader(client.GetStream());
        return await reader.ReadToEndAsync();
    }

    private static async Task<bool> CanConnect(IPAddress address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(address, port).WaitAsync(TimeSpan.FromSeconds(1));
            return true;
        }
        catch (Exception e) when (e is TimeoutException or SocketException)
        {
            return false;
        }
    }
}
