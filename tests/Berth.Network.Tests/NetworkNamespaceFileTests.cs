using System.Diagnostics;
using System.Net;
using Berth.Core;
using Berth.Network.Netlink;
using Berth.Network.Sandbox;
using Xunit.Abstractions;

namespace Berth.Network.Tests;

[Trait("Category", "Root")]
public sealed class NetworkNamespaceFileTests(ITestOutputHelper output)
{
    [Fact]
    public void Created_namespace_is_fresh_and_delete_removes_the_file()
    {
        using var fixture = new NetnsSandboxFixture();
        var path = Path.Combine(fixture.Directory, "solo");
        NetworkNamespaceFile.Create(path);
        try
        {
            var links = NetnsScope.Run(path, () => { using var n = new Rtnetlink(); return n.ListLinks(); });
            Assert.Equal(["lo"], links.Select(l => l.Name));
            Assert.Contains(path, File.ReadAllText("/proc/self/mountinfo"));
        }
        finally
        {
            NetworkNamespaceFile.Delete(path);
        }
        Assert.False(File.Exists(path));
        Assert.DoesNotContain(path, File.ReadAllText("/proc/self/mountinfo"));
    }

    [Fact]
    public void Create_in_a_missing_directory_names_the_path()
    {
        var path = $"/tmp/berth-net-missing-{TestNames.Hex(6)}/ns";
        var e = Assert.ThrowsAny<Exception>(() => NetworkNamespaceFile.Create(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Connecting_twice_with_the_same_interface_name_fails_cleanly()
    {
        using var fixture = new NetnsSandboxFixture();
        var bridge = fixture.NewLink();
        NetworkSandbox.EnsureBridge(bridge, IPAddress.Parse("10.247.0.1"), 24);
        var ns = fixture.NewNamespace();
        NetworkSandbox.ConnectContainer(bridge, fixture.NewLink(), ns, IPAddress.Parse("10.247.0.2"), 24, IPAddress.Parse("10.247.0.1"));
        var second = fixture.NewLink();
        var e = Assert.Throws<NetlinkException>(() =>
            NetworkSandbox.ConnectContainer(bridge, second, ns, IPAddress.Parse("10.247.0.3"), 24, IPAddress.Parse("10.247.0.1")));
        Assert.Equal(ErrorKind.Conflict, e.Kind);
        Assert.Equal($"RTM_NEWLINK veth {second} peer eth0: EEXIST (17)", e.Message);
        using var netlink = new Rtnetlink();
        Assert.Null(netlink.FindLink(second));
        // A second network is a second interface.
        NetworkSandbox.ConnectContainer(bridge, second, ns, IPAddress.Parse("10.247.0.3"), 24, null, interfaceName: "eth1");
        Assert.Equal(["eth0", "eth1", "lo"], NetnsScope.Run(ns, () => { using var n = new Rtnetlink(); return n.ListLinks(); }).Select(l => l.Name).Order());
    }

    [Fact]
    public void Connect_and_disconnect_cost_is_measured()
    {
        using var fixture = new NetnsSandboxFixture();
        var bridge = fixture.NewLink();
        var gateway = IPAddress.Parse("10.246.0.1");
        NetworkSandbox.EnsureBridge(bridge, gateway, 24);
        var connect = new List<double>();
        var disconnect = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var ns = fixture.NewNamespace();
            var veth = fixture.NewLink();
            var start = Stopwatch.GetTimestamp();
            NetworkSandbox.ConnectContainer(bridge, veth, ns, IPAddress.Parse($"10.246.0.{i + 2}"), 24, gateway);
            connect.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            start = Stopwatch.GetTimestamp();
            NetworkSandbox.DisconnectContainer(veth);
            disconnect.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        connect.Sort();
        disconnect.Sort();
        output.WriteLine($"ConnectContainer median {connect[10]:F2} ms (max {connect[^1]:F2}); DisconnectContainer median {disconnect[10]:F2} ms");
    }
}
