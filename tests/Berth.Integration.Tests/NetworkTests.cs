using System.Net;
using System.Net.Sockets;

namespace Berth.Integration.Tests;

/// <summary>Bridge networking with real traffic: addresses, names, published ports, isolation, internal networks, DNS forwarding.</summary>
[Trait("Category", "Root")]
public sealed class NetworkTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    private string Out(params string[] args) => _d.Out(args);

    private const string Httpd = "mkdir -p /www && echo hello-from-$(hostname) > /www/index.html && exec httpd -f -p 80 -h /www";

    private string BridgePrefix => _d.BridgeCidr[..(_d.BridgeCidr.LastIndexOf('.') + 1)];

    [Fact]
    public void DefaultBridgeGivesAnAddressARouteAndHostsEntry()
    {
        string output = Out("run", "--rm", "--name", "nt-default", "busybox", "sh", "-c", "ip -4 -o addr show eth0; ip route; cat /etc/hosts; cat /etc/resolv.conf");
        Assert.Contains("inet " + BridgePrefix, output);
        Assert.Contains("default via " + BridgePrefix + "1", output);
        string ip = output.Split("inet ")[1].Split('/')[0];
        Assert.Matches($@"{Regex(ip)}\s+\w{{12}}", output);
        Assert.Contains("nameserver " + BridgePrefix + "1", output);
        string id = Out("run", "-d", "busybox", "sleep", "30");
        Assert.StartsWith(BridgePrefix, Out("inspect", "-f", "{{.NetworkSettings.IPAddress}}", id));
        Assert.StartsWith(BridgePrefix, Out("inspect", "-f", "{{.NetworkSettings.Networks.bridge.IPAddress}}", id));
        Ok("rm", "-f", id);
        WaitNoPorts(_d.BridgeName);
    }

    [Fact]
    public void ContainersOnAUserNetworkReachEachOtherByNameAliasAndShortId()
    {
        Ok("network", "create", "nt-app");
        string web = Out("run", "-d", "--name", "nt-web", "--network", "nt-app", "--network-alias", "www", "busybox", "sh", "-c", Httpd);
        try
        {
            foreach (var name in new[] { "nt-web", "www", web[..12], "nt-web.nt-app" })
                Assert.Equal("hello-from-" + web[..12], Retry(() => Fetch("nt-app", name, 80)).Stdout.Trim());
            // The default bridge does not resolve container names, and other networks cannot see them.
            string webIp = Out("inspect", "-f", "{{(index .NetworkSettings.Networks \"nt-app\").IPAddress}}", web);
            Assert.DoesNotContain(webIp, _d.Berth("run", "--rm", "busybox", "nslookup", "nt-web").Stdout);
            Ok("network", "create", "nt-other");
            var blocked = Fetch("nt-other", webIp, 80, timeout: 2);
            Assert.NotEqual(0, blocked.ExitCode);
            Assert.DoesNotContain("hello", blocked.Stdout);
            var nx = _d.Berth("run", "--rm", "--network", "nt-other", "busybox", "nslookup", "nt-web");
            Assert.DoesNotContain(webIp, nx.Stdout);
            var inspect = Out("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{end}}", "nt-app");
            Assert.Contains("nt-web", inspect);
            Assert.Contains("nt-app", Out("network", "ls", "--format", "{{.Name}} {{.Driver}}"));
        }
        finally
        {
            _d.Berth("rm", "-f", web);
            _d.Berth("network", "rm", "nt-app", "nt-other");
        }
    }

    [Fact]
    public void PublishedPortsAreReachableFromTheHostAndShownByPortAndInspect()
    {
        int port = FreePort();
        string id = Out("run", "-d", "-p", $"{port}:80", "-p", "80", "--name", "nt-pub", "busybox", "sh", "-c", Httpd);
        try
        {
            Assert.StartsWith("hello-from-", Retry(() => HttpGet(IPAddress.Loopback, port)));
            foreach (var addr in HostAddresses()) Assert.StartsWith("hello-from-", HttpGet(addr, port));
            var ports = Out("port", id).Split('\n');
            Assert.Contains($"80/tcp -> 0.0.0.0:{port}", ports);
            Assert.Equal(2, ports.Length);
            string random = ports.Single(p => !p.EndsWith($":{port}")).Split(':')[^1];
            Assert.StartsWith("hello-from-", HttpGet(IPAddress.Loopback, int.Parse(random)));
            Assert.Contains($"\"HostPort\":\"{random}\"", Out("inspect", "-f", "{{json .NetworkSettings.Ports}}", id));
            // Another container reaches the published port through the host's address.
            var viaHost = Fetch("bridge", HostAddresses().First().ToString(), port);
            Assert.StartsWith("hello-from-", viaHost.Stdout);
            Assert.Contains($"0.0.0.0:{port}->80/tcp", Out("ps", "--format", "{{.Ports}}", "--filter", "name=nt-pub"));
        }
        finally
        {
            Ok("rm", "-f", id);
        }
        Assert.Throws<HttpRequestException>(() => HttpGet(IPAddress.Loopback, port));
    }

    [Fact]
    public void PublishAllAndAHostPortInUse()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int taken = ((IPEndPoint)busy.LocalEndpoint).Port;
        int before = PortsOf(_d.BridgeName).Count;
        var r = _d.Berth("run", "-d", "--name", "nt-busy", "-p", $"127.0.0.1:{taken}:80", "busybox", "sleep", "30");
        Assert.Equal(125, r.ExitCode);
        Assert.Contains($"127.0.0.1:{taken} failed: port is already allocated", r.Stderr);
        Assert.NotEqual("true", Out("inspect", "-f", "{{.State.Running}}", "nt-busy"));
        for (int i = 0; i < 50 && PortsOf(_d.BridgeName).Count != before; i++) Thread.Sleep(100); // veths go with their namespace, asynchronously
        Assert.Equal(before, PortsOf(_d.BridgeName).Count);
        Ok("rm", "nt-busy");

        string all = Out("run", "-d", "--expose", "81", "--expose", "82/udp", "-P", "busybox", "sleep", "30");
        var ports = Out("port", all);
        Assert.Contains("81/tcp -> 0.0.0.0:", ports);
        Assert.Contains("82/udp -> 0.0.0.0:", ports);
        Ok("rm", "-f", all);
    }

    [Fact]
    public void InternalNetworksHaveNoWayOutAndFixedAddressesWork()
    {
        Ok("network", "create", "--internal", "--subnet", "10.199.77.0/24", "--gateway", "10.199.77.254", "--ip-range", "10.199.77.128/25", "nt-internal");
        try
        {
            var routes = Out("run", "--rm", "--network", "nt-internal", "busybox", "ip", "route");
            Assert.DoesNotContain("default", routes);
            Assert.Equal("10.199.77.50", Out("run", "--rm", "--network", "nt-internal", "--ip", "10.199.77.50", "busybox", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1"));
            Assert.StartsWith("10.199.77.1", Out("run", "--rm", "--network", "nt-internal", "busybox", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}'"));
            Assert.Equal("true", Out("network", "inspect", "-f", "{{.Internal}}", "nt-internal"));
            var ipam = Out("network", "inspect", "-f", "{{json .IPAM.Config}}", "nt-internal");
            Assert.Contains("\"Subnet\":\"10.199.77.0/24\"", ipam);
            Assert.Contains("\"Gateway\":\"10.199.77.254\"", ipam);
        }
        finally
        {
            _d.Berth("network", "rm", "nt-internal");
        }
    }

    [Fact]
    public void UnknownNamesAreForwardedToTheHostsResolvers()
    {
        Ok("network", "create", "nt-dns");
        try
        {
            var answer = Out("run", "--rm", "--network", "nt-dns", "busybox", "nslookup", "some.name.outside");
            Assert.Contains("10.1.2.3", answer);
            Assert.Contains("10.1.2.3", Out("run", "--rm", "busybox", "nslookup", "another.outside"));
            Assert.True(fixture.Upstream.Queries > 0);
        }
        finally
        {
            _d.Berth("network", "rm", "nt-dns");
        }
    }

    [Fact]
    public void ConnectAndDisconnectAContainerWhileItRuns()
    {
        Ok("network", "create", "nt-a");
        Ok("network", "create", "nt-b");
        string id = Out("run", "-d", "--network", "nt-a", "--name", "nt-multi", "busybox", "sleep", "60");
        try
        {
            Ok("network", "connect", "--alias", "second", "nt-b", "nt-multi");
            Assert.Contains("eth1", Out("exec", id, "ip", "-o", "link"));
            var twice = _d.Berth("network", "connect", "nt-b", "nt-multi");
            Assert.NotEqual(0, twice.ExitCode);
            Assert.Contains("already exists in network nt-b", twice.Stderr);
            Assert.Contains("10.", Out("run", "--rm", "--network", "nt-b", "busybox", "nslookup", "second"));
            var rmInUse = _d.Berth("network", "rm", "nt-b");
            Assert.Contains("has active endpoints", rmInUse.Stderr);
            Ok("network", "disconnect", "nt-b", "nt-multi");
            Assert.DoesNotContain("eth1", Out("exec", id, "ip", "-o", "link"));
        }
        finally
        {
            _d.Berth("rm", "-f", id);
            _d.Berth("network", "rm", "nt-a", "nt-b");
        }
    }

    [Theory]
    [InlineData(new[] { "network", "create", "--subnet", "10.199.300.0/24", "nt-bad" }, "invalid subnet")]
    [InlineData(new[] { "network", "create", "--subnet", "10.199.80.0/24", "--gateway", "10.199.81.1", "nt-bad" }, "must be a host address of subnet")]
    [InlineData(new[] { "network", "create", "--ip-range", "10.199.80.0/25", "nt-bad" }, "--subnet")]
    [InlineData(new[] { "network", "create", "-d", "overlay", "nt-bad" }, "plugin")]
    [InlineData(new[] { "network", "create", "bad/name" }, "invalid network name")]
    [InlineData(new[] { "network", "rm", "bridge" }, "pre-defined network")]
    [InlineData(new[] { "run", "--rm", "-p", "99999:80", "busybox", "true" }, "99999")]
    [InlineData(new[] { "run", "--rm", "-p", "abc", "busybox", "true" }, "abc")]
    [InlineData(new[] { "run", "--rm", "--network", "nt-nosuch", "busybox", "true" }, "network nt-nosuch not found")]
    [InlineData(new[] { "run", "--rm", "--network-alias", "x", "busybox", "true" }, "user defined networks")]
    [InlineData(new[] { "run", "--rm", "--ip", "10.203.9.9", "busybox", "true" }, "user configured subnets")]
    public void BadNetworkInputIsRefusedWithTheValueNamed(string[] args, string expected)
    {
        int containers = Out("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var r = _d.Berth(args);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Equal(containers, Out("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("nt-bad", Out("network", "ls", "--format", "{{.Name}}"));
    }

    [Fact]
    public void OverlappingSubnetsAndDuplicateNamesAreRefused()
    {
        Ok("network", "create", "--subnet", "10.199.90.0/24", "nt-first");
        try
        {
            var overlap = _d.Berth("network", "create", "--subnet", "10.199.90.128/25", "nt-second");
            Assert.Contains("overlaps", overlap.Stderr);
            var dup = _d.Berth("network", "create", "nt-first");
            Assert.Contains("network with name nt-first already exists", dup.Stderr);
        }
        finally
        {
            _d.Berth("network", "rm", "nt-first");
        }
    }

    [Fact]
    public void AKilledDaemonLeavesNetworkingWorkingAndCleansUpAfterwards()
    {
        Ok("network", "create", "nt-restart");
        int port = FreePort();
        string web = Out("run", "-d", "--name", "nt-rweb", "--network", "nt-restart", "-p", $"{port}:80", "busybox", "sh", "-c", Httpd);
        string bridge = Out("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", "nt-restart");
        try
        {
            Retry(() => HttpGet(IPAddress.Loopback, port));
            _d.Kill();
            Assert.StartsWith("hello-from-", HttpGet(IPAddress.Loopback, port)); // rules stay while no daemon runs
            _d.Start();
            Assert.StartsWith("hello-from-", HttpGet(IPAddress.Loopback, port));
            Assert.StartsWith("hello-from-", Retry(() => Fetch("nt-restart", "nt-rweb", 80)).Stdout);
        }
        finally
        {
            _d.Berth("rm", "-f", web);
        }
        WaitNoPorts(bridge);
        Assert.Empty(Directory.GetFiles(Path.Combine(_d.RunDir, "netns")));
        Ok("network", "rm", "nt-restart");
        Assert.DoesNotContain(bridge, LinkNames());
    }

    /// <summary>GET / with busybox nc from a container on <paramref name="network"/>; stdout is the body's last line.
    /// (Debian's static busybox wget crashes on this machine, so nc speaks the HTTP.)</summary>
    private CommandResult Fetch(string network, string host, int port, int timeout = 5)
    {
        var r = _d.Berth("run", "--rm", "--network", network, "busybox", "sh", "-c",
            $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w {timeout} {host} {port} | tail -1 | grep . || exit 1");
        return r with { Stdout = r.Stdout.Trim() };
    }

    private static string Regex(string s) => System.Text.RegularExpressions.Regex.Escape(s);

    private static T Retry<T>(Func<T> body)
    {
        for (int i = 0; ; i++)
        {
            try
            {
                var r = body();
                if (r is CommandResult { ExitCode: not 0 } && i < 30) { Thread.Sleep(200); continue; }
                return r;
            }
            catch (Exception) when (i < 30) { Thread.Sleep(200); }
        }
    }

    private static string HttpGet(IPAddress address, int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return http.GetStringAsync($"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{port}/").GetAwaiter().GetResult().Trim();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Any, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>The host's own non-loopback IPv4 addresses on non-bridge interfaces (eth0 and the like).</summary>
    private static List<IPAddress> HostAddresses() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.NetworkInterfaceType != System.Net.NetworkInformation.NetworkInterfaceType.Loopback && !n.Name.StartsWith("b") && n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();

    /// <summary>The interfaces enslaved to a bridge (its containers' host-side veths).</summary>
    private List<string> PortsOf(string bridge) =>
        _d.Run("ip", ["-o", "link", "show", "master", bridge], null).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();

    /// <summary>A stopped container's veths go with its network namespace, which the kernel tears down in the background.</summary>
    private void WaitNoPorts(string bridge)
    {
        for (int i = 0; i < 50 && PortsOf(bridge).Count > 0; i++) Thread.Sleep(100);
        Assert.Empty(PortsOf(bridge));
    }

    private static List<string> LinkNames() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().Select(n => n.Name).ToList();
}
