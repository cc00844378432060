using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>
/// The daemon's <c>--insecure-registry</c> entries: registry names (<c>host[:port]</c>, matched exactly) and CIDR ranges
/// (matched by the registry host's address). Loopback hosts are always insecure. An insecure registry is tried over TLS
/// without verifying its certificate, then over plain HTTP.
/// </summary>
public sealed class InsecureRegistries
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _ranges = new();
    private readonly ConcurrentDictionary<string, IPAddress[]> _resolved = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Parses the entries; an entry that is neither a CIDR nor a <c>host[:port]</c> is an error naming it.</summary>
    public InsecureRegistries(IEnumerable<string> entries)
    {
        foreach (var raw in entries)
        {
            string entry = Normalize(raw);
            if (entry.Contains('/')) _ranges.Add(ParseRange(raw, entry));
            else
            {
                if (!IsHostPort(entry)) throw BerthException.Invalid($"insecure registry \"{raw}\" is not valid: expected host[:port] or a CIDR range like 10.1.0.0/16");
                _names.Add(entry);
            }
        }
    }

    /// <summary>The registry names given, as written (less any http:// or https://).</summary>
    public IReadOnlyCollection<string> Names => _names;

    /// <summary>The CIDR ranges given.</summary>
    public IReadOnlyList<IPNetwork> Ranges => _ranges;

    /// <summary>Lower case, without Docker's tolerated <c>http://</c> or <c>https://</c> prefix; any other scheme is an error.</summary>
    public static string Normalize(string raw)
    {
        string entry = raw.Trim().ToLowerInvariant();
        foreach (var scheme in new[] { "http://", "https://" })
            if (entry.StartsWith(scheme, StringComparison.Ordinal)) return entry[scheme.Length..].TrimEnd('/');
        if (entry.Contains("://", StringComparison.Ordinal)) throw BerthException.Invalid($"insecure registry \"{raw}\" should not contain '://'");
        return entry;
    }

    /// <summary>True for loopback hosts, the named registries, and hosts whose address is in one of the ranges.</summary>
    public bool Contains(string registry)
    {
        if (_names.Contains(registry)) return true;
        string host = HostOf(registry);
        if (host == "localhost") return true;
        if (IPAddress.TryParse(host, out var ip)) return IPAddress.IsLoopback(ip) || InRanges(ip);
        if (_ranges.Count == 0) return false;
        // A name: its addresses decide, as for Docker; one that does not resolve is not insecure.
        var addresses = _resolved.GetOrAdd(host, h =>
        {
            try { return Dns.GetHostAddresses(h); }
            catch (SocketException) { return []; }
        });
        return addresses.Length > 0 && addresses.All(InRanges);
    }

    private bool InRanges(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
        return _ranges.Any(r => r.Contains(ip));
    }

    /// <summary>A CIDR range; host bits set are cleared (10.1.2.3/16 is 10.1.0.0/16), as Docker's parser does.</summary>
    private static IPNetwork ParseRange(string raw, string entry)
    {
        int slash = entry.IndexOf('/');
        string text = entry[..slash];
        // Dotted quads only: IPAddress also takes "10.1" for 10.0.0.1, which nobody means in a range.
        if (!IPAddress.TryParse(text, out var address) || text.Contains('[') || (!text.Contains(':') && text.Count(c => c == '.') != 3)
            || !int.TryParse(entry[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int prefix)
            || prefix > (address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
            throw BerthException.Invalid($"insecure registry \"{raw}\" is not valid: \"{entry}\" is not a CIDR range like 10.1.0.0/16");
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefix; bit < bytes.Length * 8; bit++) bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return new IPNetwork(new IPAddress(bytes), prefix);
    }

    /// <summary><c>host[:port]</c>: a DNS name or IPv4 address, or <c>[IPv6]</c>, and an optional port 1–65535.</summary>
    private static bool IsHostPort(string entry)
    {
        string host = HostOf(entry);
        string rest = entry.StartsWith('[') ? entry[(entry.IndexOf(']') + 1)..] : entry[host.Length..];
        if (rest.Length > 0 && !(rest[0] == ':' && int.TryParse(rest[1..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536))
            return false;
        if (entry.StartsWith('[')) return IPAddress.TryParse(host, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6;
        return host.Length > 0 && host.Split('.').All(label => label.Length is > 0 and < 64 && label[0] != '-' && label[^1] != '-'
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }

    /// <summary>The host of <c>host[:port]</c> or <c>[v6]:port</c>.</summary>
    public static string HostOf(string registry)
    {
        if (registry.StartsWith('[') && registry.IndexOf(']') is int close and > 0) return registry[1..close];
        int colon = registry.LastIndexOf(':');
        return colon > 0 && registry.IndexOf(':') == colon ? registry[..colon] : registry;
    }
}
