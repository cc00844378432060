using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;

namespace Berth.Engine.Networks;

/// <summary>
/// Published ports: PortBindings ("80/tcp" → [{HostIp, HostPort}]) and PublishAllPorts checked at create, and host ports
/// chosen at start — a fixed port must be free among running containers and on the host (a bind probe, since no
/// proxy listens); an empty one gets a free ephemeral port, as Docker's -p 80 and -P do.
/// </summary>
public static class PortPublisher
{
    /// <summary>Rejects malformed port keys, host addresses and host ports, naming the value.</summary>
    public static void Validate(HostConfig hc)
    {
        foreach (var (key, bindings) in hc.PortBindings ?? new())
        {
            ParseKey(key);
            foreach (var b in bindings ?? new())
            {
                HostAddress(b.HostIp, key);
                HostRange(b.HostPort, key);
            }
        }
    }

    /// <summary>The container's ports with host ports decided; throws a conflict naming the port when one is taken.</summary>
    public static List<PublishedPort> Resolve(ContainerRecord rec, IEnumerable<ContainerRecord> running)
    {
        var hc = rec.HostConfig;
        var taken = running.SelectMany(c => c.Ports).ToList();
        var result = new List<PublishedPort>();
        var requests = new List<(string Key, PortBinding Binding)>();
        foreach (var (key, bindings) in hc.PortBindings ?? new())
            foreach (var b in bindings is { Count: > 0 } ? bindings : [new PortBinding()])
                requests.Add((key, b));
        if (hc.PublishAllPorts)
            foreach (var key in (IEnumerable<string>?)rec.Config.ExposedPorts?.Keys ?? [])
                if (!(hc.PortBindings?.ContainsKey(key) ?? false)) requests.Add((key, new PortBinding()));
        foreach (var (key, b) in requests)
        {
            var (port, proto) = ParseKey(key);
            var ip = HostAddress(b.HostIp, key);
            string hostIp = ip == null || ip.Equals(IPAddress.Any) ? "" : ip.ToString();
            var (from, to) = HostRange(b.HostPort, key);
            int chosen = from == 0 ? Ephemeral(proto, ip, taken.Concat(result)) : Fixed(proto, ip, hostIp, from, to, taken.Concat(result));
            result.Add(new PublishedPort { Protocol = proto, ContainerPort = port, HostIp = hostIp, HostPort = chosen });
        }
        return result;
    }

    /// <summary>NetworkSettings.Ports: every exposed or published port, with its host bindings (null when not published).</summary>
    public static Dictionary<string, List<PortBinding>?> ToApi(ContainerRecord rec)
    {
        var ports = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var key in (IEnumerable<string>?)rec.Config.ExposedPorts?.Keys ?? []) ports[key] = null;
        foreach (var p in rec.Ports)
        {
            string key = $"{p.ContainerPort}/{p.Protocol}";
            if (ports.GetValueOrDefault(key) is not { } list) ports[key] = list = new();
            list.Add(new PortBinding { HostIp = p.HostIp.Length == 0 ? "0.0.0.0" : p.HostIp, HostPort = p.HostPort.ToString(CultureInfo.InvariantCulture) });
        }
        return ports;
    }

    private static (int Port, string Proto) ParseKey(string key)
    {
        var parts = key.Split('/');
        string proto = parts.Length == 2 ? parts[1].ToLowerInvariant() : "tcp";
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw BerthException.Invalid($"invalid port specification: \"{NetworkService.Printable(key)}\": the container port must be a number from 1 to 65535");
        if (proto == "sctp") throw BerthException.Invalid($"publishing {key}: SCTP ports are not supported by Berth");
        if (proto is not ("tcp" or "udp")) throw BerthException.Invalid($"invalid port specification: \"{NetworkService.Printable(key)}\": unknown protocol {NetworkService.Printable(proto)}");
        return (port, proto);
    }

    private static IPAddress? HostAddress(string? text, string key)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (!IPAddress.TryParse(text, out var ip)) throw BerthException.Invalid($"invalid host IP \"{NetworkService.Printable(text)}\" for port {key}");
        if (ip.AddressFamily != AddressFamily.InterNetwork && !ip.Equals(IPAddress.IPv6Any))
            throw BerthException.Invalid($"publishing {key} on {ip}: IPv6 host addresses are not supported by Berth yet");
        return ip.Equals(IPAddress.IPv6Any) ? null : ip;
    }

    private static (int From, int To) HostRange(string? text, string key)
    {
        if (string.IsNullOrEmpty(text)) return (0, 0);
        var parts = text.Split('-');
        bool ok = parts.Length <= 2 & int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a);
        int b = a;
        if (parts.Length == 2) ok &= int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out b);
        if (!ok || a is < 1 or > 65535 || b < a || b > 65535)
            throw BerthException.Invalid($"invalid host port \"{NetworkService.Printable(text)}\" for {key}: must be a number (or range) from 1 to 65535");
        return (a, b);
    }

    private static int Fixed(string proto, IPAddress? ip, string hostIp, int from, int to, IEnumerable<PublishedPort> taken)
    {
        var used = taken.ToList();
        for (int port = from; port <= to; port++)
        {
            if (used.Any(t => t.Protocol == proto && t.HostPort == port && (t.HostIp.Length == 0 || hostIp.Length == 0 || t.HostIp == hostIp))) continue;
            if (!HostPortFree(proto, ip, port)) continue;
            return port;
        }
        string where = (hostIp.Length == 0 ? "0.0.0.0" : hostIp) + ":" + (from == to ? from.ToString(CultureInfo.InvariantCulture) : $"{from}-{to}");
        throw BerthException.Conflict($"Bind for {where} failed: port is already allocated");
    }

    private static int Ephemeral(string proto, IPAddress? ip, IEnumerable<PublishedPort> taken)
    {
        var used = taken.Where(t => t.Protocol == proto).Select(t => t.HostPort).ToHashSet();
        for (int attempt = 0; attempt < 64; attempt++)
        {
            using var s = Socket(proto);
            s.Bind(new IPEndPoint(ip ?? IPAddress.Any, 0));
            int port = ((IPEndPoint)s.LocalEndPoint!).Port;
            if (!used.Contains(port)) return port;
        }
        throw BerthException.Conflict($"no free {proto} host port found to publish on");
    }

    private static bool HostPortFree(string proto, IPAddress? ip, int port)
    {
        try
        {
            using var s = Socket(proto);
            s.Bind(new IPEndPoint(ip ?? IPAddress.Any, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressNotAvailable)
        {
            throw BerthException.Invalid($"cannot publish on {ip}:{port}: {ip} is not an address of this host");
        }
    }

    private static Socket Socket(string proto) => proto == "udp"
        ? new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp)
        : new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
}
