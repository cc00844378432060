using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Berth.Core;
using Berth.Network.Netlink;
using Berth.Network.Sandbox;

namespace Berth.Network.Tests;

[Trait("Category", "Root")]
public sealed class NetworkSandboxTests
{
    [Fact]
    public async Task Two_containers_on_a_bridge_talk_over_tcp_and_reach_the_host()
    {
        using var fixture = new NetnsSandboxFixture();
        var bridge = fixture.NewLink();
        var subnet = $"10.{Random.Shared.Next(230, 250)}.{Random.Shared.Next(0, 255)}";
        var gateway = IPAddress.Parse(subnet + ".1");
        NetworkSandbox.EnsureBridge(bridge, gateway, 24, 1500);
        NetworkSandbox.EnsureBridge(bridge, gateway, 24, 1500); // idempotent
        Assert.Equal("1", File.ReadAllText($"/proc/sys/net/ipv4/conf/{bridge}/route_localnet").Trim());
        var ns1 = fixture.NewNamespace();
        var ns2 = fixture.NewNamespace();
        var veth1 = fixture.NewLink();
        var veth2 = fixture.NewLink();
        var ip1 = IPAddress.Parse(subnet + ".2");
        var ip2 = IPAddress.Parse(subnet + ".3");
        var mac = PhysicalAddress.Parse("02-42-00-00-00-99");
        var endpoint1 = NetworkSandbox.ConnectContainer(bridge, veth1, ns1, ip1, 24, gateway, mac, 1500);
        NetworkSandbox.ConnectContainer(bridge, veth2, ns2, ip2, 24, null);
        Assert.Equal(mac, endpoint1.MacAddress);

        var inside = NetnsScope.Run(ns1, () =>
        {
            using var netlink = new Rtnetlink();
            return (netlink.GetLink("eth0"), netlink.ListAddresses("eth0"), netlink.ListRoutes(), netlink.GetLink("lo"));
        });
        Assert.Equal(mac, inside.Item1.MacAddress);
        Assert.True(inside.Item1.IsUp && inside.Item4.IsUp);
        Assert.Equal(ip1, Assert.Single(inside.Item2).Address);
        Assert.Contains(inside.Item3, r => r.PrefixLength == 0 && gateway.Equals(r.Gateway));
        var internalRoutes = NetnsScope.Run(ns2, () => { using var n = new Rtnetlink(); return n.ListRoutes(); });
        Assert.DoesNotContain(internalRoutes, r => r.PrefixLength == 0);
        using (var host = new Rtnetlink())
            Assert.Equal(host.GetLink(bridge).Index, host.GetLink(veth1).MasterIndex);

        using var listener = NetnsScope.Run(ns1, () =>
        {
            var l = new TcpListener(ip1, 8080);
            l.Start();
            return l;
        });
        var serve = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                var remote = ((IPEndPoint)client.Client.RemoteEndPoint!).Address.ToString();
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("hello " + remote));
            }
        });
        var fromContainer = NetnsScope.Run(ns2, () => ReadAll(ip1));
        var fromHost = ReadAll(ip1);
        await serve.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("hello " + ip2, fromContainer);
        Assert.Equal("hello " + gateway, fromHost);

        Assert.True(NetworkSandbox.DisconnectContainer(veth1));
        Assert.False(NetworkSandbox.DisconnectContainer(veth1));
        Assert.Null(NetnsScope.Run(ns1, () => { using var n = new Rtnetlink(); return n.FindLink("eth0"); }));
    }

    [Fact]
    public void Failed_connect_leaves_no_host_veth()
    {
        using var fixture = new NetnsSandboxFixture();
        var ns = fixture.NewNamespace();
        var veth = fixture.NewLink();
        var missingBridge = TestNames.Link();
        var e = Assert.ThrowsAny<BerthException>(() =>
            NetworkSandbox.ConnectContainer(missingBridge, veth, ns, IPAddress.Parse("10.251.0.2"), 24, null));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Equal($"RTM_GETLINK link {missingBridge}: ENODEV (19)", e.Message);
        using var netlink = new Rtnetlink();
        Assert.Null(netlink.FindLink(veth));
    }

    [Fact]
    public void EnsureBridge_refuses_a_non_bridge_link()
    {
        using var fixture = new NetnsSandboxFixture();
        var veth = fixture.NewLink();
        using (var netlink = new Rtnetlink()) netlink.CreateVeth(veth, fixture.NewLink());
        var e = Assert.Throws<BerthException>(() => NetworkSandbox.EnsureBridge(veth, IPAddress.Parse("10.252.0.1"), 24));
        Assert.Equal($"link {veth} exists and is a veth link, not a bridge", e.Message);
    }

    [Fact]
    public void Reconcile_deletes_only_unexpected_links_with_the_prefixes()
    {
        using var fixture = new NetnsSandboxFixture();
        var prefix = "bt" + TestNames.Hex(4);
        var keep = prefix + "k";
        var stray = prefix + "s";
        var strayVeth = prefix + "v";
        using (var netlink = new Rtnetlink())
        {
            netlink.CreateBridge(keep);
            netlink.CreateBridge(stray);
            netlink.CreateVeth(strayVeth, prefix + "p");
        }
        try
        {
            var deleted = NetworkSandbox.Reconcile([keep], prefix, prefix + "v");
            Assert.Equal([stray, strayVeth], deleted.Order());
            using var netlink = new Rtnetlink();
            Assert.NotNull(netlink.FindLink(keep));
            Assert.Null(netlink.FindLink(prefix + "p"));
        }
        finally
        {
            using var netlink = new Rtnetlink();
            foreach (var name in new[] { keep, stray, strayVeth, prefix + "p" }) netlink.TryDeleteLink(name);
        }
    }

    [Fact]
    public void HostVethName_is_stable_and_fits_the_kernel_limit()
    {
        var name = NetworkSandbox.HostVethName("abc123", "net1");
        Assert.Equal(name, NetworkSandbox.HostVethName("abc123", "net1"));
        Assert.NotEqual(name, NetworkSandbox.HostVethName("abc123", "net2"));
        Assert.StartsWith("vb", name);
        Assert.Equal(14, name.Length);
        Assert.Equal(PhysicalAddress.Parse("02-42-0A-CC-00-05"), NetworkSandbox.MacFor(IPAddress.Parse("10.204.0.5")));
    }

    private static string ReadAll(IPAddress address)
    {
        using var client = new TcpClient();
        client.Connect(address, 8080);
        using var reader = new StreamReader(client.GetStream());
        return reader.ReadToEnd();
    }
}
