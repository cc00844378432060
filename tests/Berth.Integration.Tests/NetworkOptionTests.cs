using System.Diagnostics;

namespace Berth.Integration.Tests;

/// <summary>Outbound NAT towards a peer in a namespace the test makes, and the per-container network options.</summary>
[Trait("Category", "Root")]
public sealed class NetworkOptionTests(NetworkFixture fixture) : IClassFixture<NetworkFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private string Out(params string[] args)
    {
        var r = _d.Berth(args);
        Assert.True(r.ExitCode == 0, string.Join(' ', args) + ": " + r);
        return r.Stdout.Trim();
    }

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
            Assert.Equal("lo", Out("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net"));
        }
        finally
        {
            _d.Berth("rm", "-f", first);
        }
    }
}
