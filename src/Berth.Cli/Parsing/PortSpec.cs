using System.Globalization;
using Berth.Core.EngineApi;

namespace Berth.Cli.Parsing;

/// <summary>Parses -p [ip:][hostPort:]containerPort[/proto] (ranges allowed) and --expose port[-port][/proto].</summary>
public static class PortSpec
{
    public static IEnumerable<string> ParseExpose(string spec)
    {
        var (ports, proto) = SplitProto(spec);
        var (start, end) = Range(ports, spec);
        for (int p = start; p <= end; p++) yield return p.ToString(CultureInfo.InvariantCulture) + "/" + proto;
    }

    public static List<(string Port, PortBinding Binding)> ParsePublish(string spec)
    {
        var (rest, proto) = SplitProto(spec);
        string ip = "", hostPart = "", containerPart;
        if (rest.StartsWith('['))
        {
            // [v6addr]:host:container
            int close = rest.IndexOf(']');
            if (close < 0) throw new UsageException($"invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid IP address in \"{spec}\"");
            ip = rest[1..close];
            string[] tail = rest[(close + 1)..].TrimStart(':').Split(':');
            if (tail.Length != 2) throw new UsageException($"invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid port specification");
            hostPart = tail[0];
            containerPart = tail[1];
        }
        else
        {
            string[] parts = rest.Split(':');
            switch (parts.Length)
            {
                case 1: containerPart = parts[0]; break;
                case 2: hostPart = parts[0]; containerPart = parts[1]; break;
                case 3: ip = parts[0]; hostPart = parts[1]; containerPart = parts[2]; break;
                default: throw new UsageException($"invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid port specification: \"{spec}\"");
            }
        }
        if (ip.Length > 0 && !System.Net.IPAddress.TryParse(ip, out _))
            throw new UsageException($"invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid IP address: {ip}");
        var (cStart, cEnd) = Range(containerPart, spec);
        int hStart = 0, hEnd = 0;
        if (hostPart.Length > 0) (hStart, hEnd) = Range(hostPart, spec);
        int count = cEnd - cStart + 1;
        if (hostPart.Length > 0 && hEnd - hStart + 1 != count && !(count == 1))
            throw new UsageException($"invalid argument \"{spec}\" for \"-p, --publish\" flag: invalid ranges specified for container and host Ports: {containerPart} and {hostPart}");
        var result = new List<(string, PortBinding)>();
        for (int i = 0; i < count; i++)
        {
            string host = hostPart.Length == 0 ? "" : count == 1 && hEnd != hStart ? $"{hStart}-{hEnd}" : (hStart + i).ToString(CultureInfo.InvariantCulture);
            result.Add(((cStart + i).ToString(CultureInfo.InvariantCulture) + "/" + proto, new PortBinding { HostIp = ip, HostPort = host }));
        }
        return result;
    }

    private static (string, string) SplitProto(string spec)
    {
        int slash = spec.LastIndexOf('/');
        if (slash < 0) return (spec, "tcp");
        string proto = spec[(slash + 1)..].ToLowerInvariant();
        if (proto is not ("tcp" or "udp" or "sctp")) throw new UsageException($"invalid proto: {proto} in \"{spec}\"");
        return (spec[..slash], proto);
    }

    private static (int, int) Range(string text, string spec)
    {
        int dash = text.IndexOf('-');
        if (dash < 0) { int p = Port(text, spec); return (p, p); }
        int a = Port(text[..dash], spec), b = Port(text[(dash + 1)..], spec);
        if (b < a) throw new UsageException($"invalid port range: {text} in \"{spec}\"");
        return (a, b);
    }

    private static int Port(string text, string spec) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is > 0 and <= 65535
            ? p
            : throw new UsageException($"invalid port \"{text}\" in \"{spec}\": must be a number from 1 to 65535");
}
