using System.Diagnostics;
using System.Net;

namespace Berth.Integration.Tests;

/// <summary>
/// A stand-in for another host: a network namespace of the test's own behind a veth, the host end at 10.199.X.1/24 and
/// the peer at 10.199.X.2, so a server started in it listens on an address that is not loopback. Disposing kills what was
/// started in it and deletes the link and the namespace, also after a failed test.
/// </summary>
public sealed class PeerNetns : IDisposable
{
    private readonly List<Process> _started = new();

    public PeerNetns()
    {
        string tag = Guid.NewGuid().ToString("N")[..6];
        Name = "berth-it-peer-" + tag;
        HostLink = "bph" + tag;
        int third = FreeThirdOctet();
        Subnet = $"10.199.{third}.0/24";
        HostAddress = IPAddress.Parse($"10.199.{third}.1");
        PeerAddress = IPAddress.Parse($"10.199.{third}.2");
        string peerLink = "bpp" + tag;
        try
        {
            Ip("netns", "add", Name);
            Ip("link", "add", HostLink, "type", "veth", "peer", "name", peerLink);
            Ip("link", "set", peerLink, "netns", Name);
            Ip("addr", "add", HostAddress + "/24", "dev", HostLink);
            Ip("link", "set", HostLink, "up");
            Ip("netns", "exec", Name, "ip", "addr", "add", PeerAddress + "/24", "dev", peerLink);
            Ip("netns", "exec", Name, "ip", "link", "set", peerLink, "up");
            Ip("netns", "exec", Name, "ip", "link", "set", "lo", "up");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }
    public string HostLink { get; }
    public string Subnet { get; }
    public IPAddress HostAddress { get; }
    public IPAddress PeerAddress { get; }

    /// <summary>The arguments that run <paramref name="file"/> inside the namespace (<c>ip netns exec</c> execs it, so its pid is the program's).</summary>
    public (string File, List<string> Args) Inside(string file, IEnumerable<string> args) => ("ip", ["netns", "exec", Name, file, .. args]);

    /// <summary>Kills a process started in the namespace when the namespace goes.</summary>
    public void Track(Process p)
    {
        lock (_started) _started.Add(p);
    }

    private static void Ip(params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)}: exit {p.ExitCode}: {err}");
    }

    private static int FreeThirdOctet()
    {
        var psi = new ProcessStartInfo("ip", "-4 -o addr show") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string addrs = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int x = Random.Shared.Next(1, 255);
            if (!addrs.Contains($" 10.199.{x}.")) return x;
        }
        throw new InvalidOperationException("no free 10.199.X.0/24 for a peer namespace");
    }

    public void Dispose()
    {
        lock (_started)
        {
            foreach (var p in _started)
            {
                try
                {
                    if (!p.HasExited) p.Kill(entireProcessTree: true);
                    p.WaitForExit(5000);
                }
                catch (InvalidOperationException) { /* already gone */ }
            }
            _started.Clear();
        }
        foreach (var args in new[] { new[] { "link", "delete", HostLink }, ["netns", "delete", Name] })
        {
            try { Ip(args); }
            catch (InvalidOperationException) { /* never made, or already gone */ }
        }
    }
}
