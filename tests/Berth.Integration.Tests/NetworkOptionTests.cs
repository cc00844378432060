using System.Diagnostics;

namespace Berth.Integration.Tests;

/// <summary>Outbound NAT towards a peer in a namespace the test makes, and the per-container network options.</summary>
[Trait("Category", "Root")]
public sealed class NetworkOptionTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private string Out(params string[] args) => _d.Out(args);

    private void Sh(string command)
    {
        var r = _d.Run("sh", ["-c", command], null);
        Assert.True(r.ExitCode == 0, command + ": " + r);
    }

    [Fact]
    public void OutboundTrafficLeavesWithTheHostsAddress()
    {
        // A stand-in for "the outside": a network namespace behind a veth, with busybox httpd telling who called.
        string tag = Guid.NewGuid().ToString("N")[..6];
        string ns = "berth-it-peer-" + tag, hostEnd = "bph" + tag, peerEnd = "bpp" + tag;
        int third = Random.Shared.Next(1, 250);
        string hostIp = $"10.198.{third}.1", peerIp = $"10.198.{third}.2";
        string www = Path.Combine(_d.Root, "peer-www");
        Directory.CreateDirectory(Path.Combine(www, "cgi-bin"));
        string cgi = Path.Combine(www, "cgi-bin", "who");
        File.WriteAllText(cgi, "#!/bin/sh\necho 'Content-Type: text/plain'\necho\necho \"$REMOTE_ADDR\"\n");
        File.SetUnixFileMode(cgi, (UnixFileMode)0x1ed);
        Process? httpd = null;
        try
        {
            Sh($"ip netns add {ns} && ip link add {hostEnd} type veth peer name {peerEnd} && ip link set {peerEnd} netns {ns}"
               + $" && ip addr add {hostIp}/30 dev {hostEnd} && ip link set {hostEnd} up"
               + $" && ip netns exec {ns} ip addr add {peerIp}/30 dev {peerEnd} && ip netns exec {ns} ip link set {peerEnd} up && ip netns exec {ns} ip link set lo up");
            httpd = Process.Start(new ProcessStartInfo("ip", ["netns", "exec", ns, "busybox", "httpd", "-f", "-p", "8099", "-h", www]) { RedirectStandardError = true })!;
            string seen = "";
            for (int i = 0; i < 30 && seen.Length == 0; i++)
            {
                seen = _d.Berth("run", "--rm", "busybox", "sh", "-c", $"printf 'GET /cgi-bin/who HTTP/1.0\\r\\n\\r\\n' | nc -w 3 {peerIp} 8099 | tail -1").Stdout.Trim();
                if (seen.Length == 0) Thread.Sleep(200);
            }
            // Masqueraded: the peer sees the host's address on its link, not the container's bridge address.
            Assert.Contains(hostIp, seen); // busybox httpd shows it IPv4-mapped: [::ffff:a.b.c.d]
            Assert.DoesNotContain(_d.BridgeCidr[..(_d.BridgeCidr.LastIndexOf('.') + 1)], seen);
            var internalNet = Out("network", "create", "--internal", "nt-sealed");
            var sealedTry = _d.Berth("run", "--rm", "--network", "nt-sealed", "busybox", "sh", "-c", $"printf 'GET /cgi-bin/who HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {peerIp} 8099");
            Assert.DoesNotContain(hostIp, sealedTry.Stdout);
            Assert.DoesNotContain("10.", sealedTry.Stdout);
        }
        finally
        {
            try { httpd?.Kill(); httpd?.WaitForExit(5000); } catch (InvalidOperationException) { }
            _d.Berth("network", "rm", "nt-sealed");
            _d.Run("ip", ["link", "delete", hostEnd], null);
            _d.Run("ip", ["netns", "delete", ns], null);
        }
    }

    [Fact]
    public void DnsSearchAddHostHostnameAndMac()
    {
        Out("network", "create", "nt-opts");
        try
        {
            string output = Out("run", "--rm", "--network", "nt-opts", "--dns", "10.9.9.9", "--dns-search", "corp.example", "--add-host", "db.local:10.1.1.1",
                "--add-host", "hostbox:host-gateway", "--hostname", "myhost", "--mac-address", "02:42:de:ad:be:ef", "busybox", "sh", "-c",
                "cat /etc/resolv.conf /etc/hosts; hostname; cat /sys/class/net/eth0/address");
            Assert.Contains("nameserver 10.9.9.9", output);
            Assert.Contains("search corp.example", output);
            Assert.Contains("10.1.1.1\tdb.local", output);
            Assert.Contains(_d.BridgeCidr.Split('/')[0] + "\thostbox", output);
            Assert.Contains("\nmyhost\n", output);
            Assert.EndsWith("02:42:de:ad:be:ef", output);
        }
        finally
        {
            _d.Berth("network", "rm", "nt-opts");
        }
    }

    [Fact]
    public void ContainerModeSharesTheOtherContainersNetwork()
    {
        string first = Out("run", "-d", "--name", "nt-owner", "busybox", "sleep", "60");
        try
        {
            string ownerIp = Out("inspect", "-f", "{{.NetworkSettings.IPAddress}}", first);
            string inside = Out("run", "--rm", "--network", "container:nt-owner", "busybox", "sh", "-c", "ip -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1");
            Assert.Equal(ownerIp, inside);
            Assert.Equal("host", Out("run", "--rm", "--network", "host", "busybox", "sh", "-c", "test -e /sys/class/net/" + _d.BridgeName + " && echo host"));
            var discarded = _d.Berth("run", "--rm", "--network", "host", "-p", "8080:80", "busybox", "true");
            Assert.Contains("WARNING: Published ports are discarded when using host network mode", discarded.Stderr);
            Assert.Equal("lo", Out("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net"));
        }
        finally
        {
            _d.Berth("rm", "-f", first);
        }
    }

    [Fact]
    public void PublishedPortsPassAnInputDropAndLoopbackPublishingStaysLocal()
    {
        // Berth's documented decision (README): published ports are forwarded, not input, so an input-hook drop
        // does not stop them; publishing on 127.0.0.1 is how a port stays local. Checked from a peer namespace.
        string tag = Guid.NewGuid().ToString("N")[..6];
        string ns = "berth-it-fw-" + tag, hostEnd = "bfh" + tag, peerEnd = "bfp" + tag, table = "berth_it_fw_" + tag;
        int third = Random.Shared.Next(1, 250);
        string hostIp = $"10.197.{third}.1", peerIp = $"10.197.{third}.2";
        int open = FreePort(), local = FreePort();
        string web = "", localWeb = "";
        try
        {
            Sh($"ip netns add {ns} && ip link add {hostEnd} type veth peer name {peerEnd} && ip link set {peerEnd} netns {ns}"
               + $" && ip addr add {hostIp}/30 dev {hostEnd} && ip link set {hostEnd} up"
               + $" && ip netns exec {ns} ip addr add {peerIp}/30 dev {peerEnd} && ip netns exec {ns} ip link set {peerEnd} up");
            const string httpd = "mkdir -p /www && echo fw-ok > /www/index.html && exec httpd -f -p 80 -h /www";
            web = Out("run", "-d", "-p", $"{open}:80", "busybox", "sh", "-c", httpd);
            localWeb = Out("run", "-d", "-p", $"127.0.0.1:{local}:80", "busybox", "sh", "-c", httpd);
            // A host firewall that drops both ports on input, in a table of its own.
            Sh($"nft add table inet {table} && nft add chain inet {table} input '{{ type filter hook input priority 0; policy accept; }}'"
               + $" && nft add rule inet {table} input tcp dport {{ {open}, {local} }} drop");
            string FromPeer(int port) => _d.Run("ip", ["netns", "exec", ns, "busybox", "sh", "-c",
                $"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 {hostIp} {port} | tail -1"], null).Stdout.Trim();
            string seen = "";
            for (int i = 0; i < 30 && seen.Length == 0; i++) { seen = FromPeer(open); if (seen.Length == 0) Thread.Sleep(200); }
            Assert.Equal("fw-ok", seen);
            Assert.Equal("", FromPeer(local));
        }
        finally
        {
            if (web.Length > 0) _d.Berth("rm", "-f", web);
            if (localWeb.Length > 0) _d.Berth("rm", "-f", localWeb);
            _d.Run("nft", ["delete", "table", "inet", table], null);
            _d.Run("ip", ["link", "delete", hostEnd], null);
            _d.Run("ip", ["netns", "delete", ns], null);
        }
    }

    [Fact]
    public void MtuBridgeNameConnectWithIpAndPrune()
    {
        string bridge = "bn" + Guid.NewGuid().ToString("N")[..8];
        Out("network", "create", "--subnet", "10.196.44.0/24", "-o", "com.docker.network.bridge.name=" + bridge, "-o", "com.docker.network.driver.mtu=1400", "--label", "nt=prune", "nt-mtu");
        string id = Out("run", "-d", "--network", "none", "busybox", "sleep", "60");
        string other = Out("run", "-d", "busybox", "sleep", "60");
        try
        {
            Assert.Contains("mtu 1400", _d.Run("ip", ["link", "show", bridge], null).Stdout);
            Assert.Equal("1400", Out("run", "--rm", "--network", "nt-mtu", "busybox", "cat", "/sys/class/net/eth0/mtu"));
            Out("network", "connect", "--ip", "10.196.44.77", "nt-mtu", other);
            Assert.Contains("10.196.44.77", Out("exec", other, "ip", "-4", "-o", "addr"));
            var none = _d.Berth("network", "connect", "nt-mtu", id);
            Assert.NotEqual(0, none.ExitCode);
            Assert.Contains("network mode none", none.Stderr);
            Out("network", "disconnect", "nt-mtu", other);
            Out("network", "create", "--label", "nt=prune", "nt-unused");
            var pruned = Out("network", "prune", "-f", "--filter", "label=nt=prune");
            Assert.Contains("nt-mtu", pruned);
            Assert.Contains("nt-unused", pruned);
            Assert.DoesNotContain(bridge, _d.Run("ip", ["-o", "link"], null).Stdout);
        }
        finally
        {
            _d.Berth("rm", "-f", id, other);
            _d.Berth("network", "rm", "nt-mtu", "nt-unused");
        }
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Any, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
