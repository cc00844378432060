using System.Net;
using System.Net.NetworkInformation;
using Berth.Core;
using Berth.Network.Netlink;

namespace Berth.Network.Tests;

[Trait("Category", "Root")]
public sealed class RtnetlinkTests
{
    [Fact]
    public void Bridge_is_created_with_mtu_and_duplicate_fails_with_EEXIST()
    {
        using var fixture = new NetnsSandboxFixture();
        var name = fixture.NewLink();
        using var netlink = new Rtnetlink();
        netlink.CreateBridge(name, 1400);
        var link = netlink.GetLink(name);
        Assert.Equal("bridge", link.Kind);
        Assert.Equal(1400, link.Mtu);
        Assert.False(link.IsUp);
        var e = Assert.Throws<NetlinkException>(() => netlink.CreateBridge(name));
        Assert.Equal($"RTM_NEWLINK bridge {name}: EEXIST (17)", e.Message);
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Contains(netlink.ListLinks(), l => l.Name == name && l.Index == link.Index);
    }

    [Fact]
    public void Missing_link_is_NotFound_naming_it()
    {
        using var netlink = new Rtnetlink();
        var name = TestNames.Link();
        Assert.Null(netlink.FindLink(name));
        var e = Assert.Throws<NetlinkException>(() => netlink.DeleteLink(name));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains(name, e.Message);
        Assert.False(netlink.TryDeleteLink(name));
    }

    [Fact]
    public void Invalid_link_name_is_rejected_before_the_kernel()
    {
        using var netlink = new Rtnetlink();
        var e = Assert.Throws<BerthException>(() => netlink.CreateBridge("this-name-is-too-long"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("this-name-is-too-long", e.Message);
    }

    [Fact]
    public void Veth_master_mac_address_up_down_and_rename()
    {
        using var fixture = new NetnsSandboxFixture();
        var bridge = fixture.NewLink();
        var veth = fixture.NewLink();
        var peer = fixture.NewLink();
        var renamed = fixture.NewLink();
        using var netlink = new Rtnetlink();
        netlink.CreateBridge(bridge);
        netlink.CreateVeth(veth, peer, 1450);
        Assert.Equal("veth", netlink.GetLink(peer).Kind);
        Assert.Equal(1450, netlink.GetLink(peer).Mtu);
        netlink.SetMaster(veth, bridge);
        Assert.Equal(netlink.GetLink(bridge).Index, netlink.GetLink(veth).MasterIndex);
        netlink.SetMaster(veth, null);
        Assert.Equal(0, netlink.GetLink(veth).MasterIndex);
        var mac = PhysicalAddress.Parse("02-42-0A-CC-00-07");
        netlink.SetMacAddress(peer, mac);
        Assert.Equal(mac, netlink.GetLink(peer).MacAddress);
        netlink.SetUp(bridge);
        Assert.True(netlink.GetLink(bridge).IsUp);
        netlink.SetDown(bridge);
        Assert.False(netlink.GetLink(bridge).IsUp);
        netlink.Rename(peer, renamed);
        Assert.Null(netlink.FindLink(peer));
        Assert.Equal("veth", netlink.GetLink(renamed).Kind);
        netlink.DeleteLink(veth);
        Assert.Null(netlink.FindLink(renamed));
    }

    [Fact]
    public void Addresses_and_routes_inside_a_namespace()
    {
        using var fixture = new NetnsSandboxFixture();
        var ns = fixture.NewNamespace();
        var peer = fixture.NewLink();
        var hostEnd = fixture.NewLink();
        using (var host = new Rtnetlink()) host.CreateVeth(hostEnd, peer);
        var fd = File.OpenHandle(ns);
        using (var host = new Rtnetlink()) host.MoveToNamespace(peer, (int)fd.DangerousGetHandle());
        fd.Dispose();
        using (var host = new Rtnetlink()) Assert.Null(host.FindLink(peer));

        var (addresses, routes, links) = NetnsScope.Run(ns, () =>
        {
            using var netlink = new Rtnetlink();
            netlink.Rename(peer, "eth0");
            netlink.AddAddress("eth0", IPAddress.Parse("10.99.7.2"), 24);
            var dup = Assert.Throws<NetlinkException>(() => netlink.AddAddress("eth0", IPAddress.Parse("10.99.7.2"), 24));
            Assert.Contains("EEXIST (17)", dup.Message);
            netlink.SetUp("lo");
            netlink.SetUp("eth0");
            netlink.AddDefaultRoute(IPAddress.Parse("10.99.7.1"), "eth0");
            netlink.AddRoute(IPAddress.Parse("10.98.0.0"), 16, IPAddress.Parse("10.99.7.3"));
            var routes = netlink.ListRoutes();
            netlink.RemoveRoute(IPAddress.Parse("10.98.0.0"), 16, IPAddress.Parse("10.99.7.3"));
            return (netlink.ListAddresses("eth0"), routes, netlink.ListLinks());
        });
        Assert.Equal([new AddressInfo(addresses[0].LinkIndex, IPAddress.Parse("10.99.7.2"), 24)], addresses);
        Assert.Contains(routes, r => r.PrefixLength == 0 && IPAddress.Parse("10.99.7.1").Equals(r.Gateway));
        Assert.Contains(routes, r => r.PrefixLength == 16 && r.Destination.Equals(IPAddress.Parse("10.98.0.0")));
        Assert.Equal(["eth0", "lo"], links.Select(l => l.Name).Order());
        NetnsScope.Run(ns, () =>
        {
            using var netlink = new Rtnetlink();
            netlink.RemoveAddress("eth0", IPAddress.Parse("10.99.7.2"), 24);
            Assert.Empty(netlink.ListAddresses("eth0"));
        });
    }

    [Fact]
    public void NetnsScope_reports_a_missing_namespace_file()
    {
        var e = Assert.Throws<BerthException>(() => NetnsScope.Run("/tmp/berth-no-such-netns-" + TestNames.Hex(6), () => { }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("ENOENT (2)", e.Message);
    }
}
