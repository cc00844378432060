using Berth.Core;

namespace Berth.Network.Sandbox;

/// <summary>The kernel switches Berth's networking needs, written under /proc/sys of the calling thread's namespace.</summary>
public static class Sysctl
{
    /// <summary>net.ipv4.ip_forward=1: containers reach beyond their bridge only if the host routes for them.</summary>
    public static void EnableIpForwarding() => Write("/proc/sys/net/ipv4/ip_forward", "1");

    /// <summary>net.ipv4.conf.&lt;link&gt;.route_localnet: lets DNAT'd 127.0.0.1 traffic leave through a bridge.</summary>
    public static void SetRouteLocalnet(string link, bool enabled) =>
        Write($"/proc/sys/net/ipv4/conf/{link}/route_localnet", enabled ? "1" : "0");

    /// <summary>net.ipv4.conf.&lt;link&gt;.forwarding: forwarding for one input interface only.</summary>
    public static void SetForwarding(string link, bool enabled) =>
        Write($"/proc/sys/net/ipv4/conf/{link}/forwarding", enabled ? "1" : "0");

    public static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Internal($"read {path}: {e.Message}", e);
        }
    }

    public static void Write(string path, string value)
    {
        try
        {
            if (File.Exists(path) && Read(path) == value) return;
            File.WriteAllText(path, value);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Internal($"write {value} to {path}: {e.Message}", e);
        }
    }
}
