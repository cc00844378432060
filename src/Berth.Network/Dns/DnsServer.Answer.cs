using System.Net;

namespace Berth.Network.Dns;

public sealed partial class DnsServer
{
    /// <summary>Answers from the network's names; returns 0 when the query must be forwarded upstream.</summary>
    /// <param name="more">Names of the client's other networks, asked only when the arrival network does not know the name.</param>
    internal static int AnswerLocally(DnsNames names, ReadOnlySpan<byte> query, Span<byte> response, bool haveUpstreams, Func<IEnumerable<DnsNames>>? more = null)
    {
        if (!DnsQuery.TryParse(query, out var parsed, out var headerOnly)) return -1;
        if (parsed.IsResponse) return -1;
        if (parsed.Opcode != 0) return DnsResponse.WriteError(response, query, parsed, DnsResponse.NotImp, false);
        if (headerOnly) return DnsResponse.WriteError(response, query, parsed, DnsResponse.FormErr, false);
        if (parsed.Class == DnsResponse.ClassIn)
        {
            if (parsed.Type == DnsResponse.TypePtr && TryReverse(parsed.Name, out var address) && names.ReverseLookup(address) is { } target)
                return DnsResponse.WritePointer(response, query, parsed, target);
            if ((names.Lookup(parsed.Name) ?? more?.Invoke().Select(n => n.Lookup(parsed.Name)).FirstOrDefault(a => a != null)) is { } addresses)
            {
                // A known name: A records for A/ANY, an empty NOERROR for AAAA and other types (IPv4-only networks).
                IReadOnlyList<IPAddress> answers = parsed.Type is DnsResponse.TypeA or DnsResponse.TypeAny ? addresses : [];
                return DnsResponse.WriteAddresses(response, query, parsed, DnsResponse.NoError, answers);
            }
        }
        if (haveUpstreams) return 0;
        return DnsResponse.WriteError(response, query, parsed, DnsResponse.NxDomain, true);
    }

    /// <summary>A SERVFAIL for a query no upstream answered.</summary>
    internal static int ServerFailure(ReadOnlySpan<byte> query, Span<byte> response)
    {
        if (!DnsQuery.TryParse(query, out var parsed, out var headerOnly)) return -1;
        return DnsResponse.WriteError(response, query, parsed, DnsResponse.ServFail, !headerOnly);
    }

    private static bool TryReverse(string name, out IPAddress address)
    {
        address = IPAddress.None;
        const string suffix = ".in-addr.arpa";
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return false;
        var octets = name[..^suffix.Length].Split('.');
        if (octets.Length != 4) return false;
        Array.Reverse(octets);
        return IPAddress.TryParse(string.Join('.', octets), out address!);
    }
}
