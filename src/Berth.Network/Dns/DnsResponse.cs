using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>Writes answers to a query: header, the query's question copied verbatim, then A or PTR records.</summary>
internal static class DnsResponse
{
    public const ushort TypeA = 1;
    public const ushort TypePtr = 12;
    public const ushort TypeAaaa = 28;
    public const ushort TypeAny = 255;
    public const ushort ClassIn = 1;

    public const int NoError = 0;
    public const int FormErr = 1;
    public const int ServFail = 2;
    public const int NxDomain = 3;
    public const int NotImp = 4;

    /// <summary>Seconds resolvers may cache a container's address; Docker uses 600 too.</summary>
    public const uint Ttl = 600;

    /// <summary>A response with A records (or none); returns its length in <paramref name="buffer"/>.</summary>
    public static int WriteAddresses(Span<byte> buffer, ReadOnlySpan<byte> query, in DnsQuery parsed, int rcode, IReadOnlyList<IPAddress> addresses)
    {
        var questionLength = parsed.QuestionEnd - DnsQuery.HeaderSize;
        var count = Math.Min(addresses.Count, (buffer.Length - DnsQuery.HeaderSize - questionLength) / 16);
        var offset = WriteHeader(buffer, parsed, rcode, 1, count, authoritative: rcode == NoError);
        query.Slice(DnsQuery.HeaderSize, questionLength).CopyTo(buffer[offset..]);
        offset += questionLength;
        for (var i = 0; i < count; i++)
        {
            offset = WriteRecordHeader(buffer, offset, TypeA, 4);
            addresses[i].TryWriteBytes(buffer[offset..], out _);
            offset += 4;
        }
        return offset;
    }

    /// <summary>A response with one PTR record naming <paramref name="target"/>.</summary>
    public static int WritePointer(Span<byte> buffer, ReadOnlySpan<byte> query, in DnsQuery parsed, string target)
    {
        var questionLength = parsed.QuestionEnd - DnsQuery.HeaderSize;
        var offset = WriteHeader(buffer, parsed, NoError, 1, 1, authoritative: true);
        query.Slice(DnsQuery.HeaderSize, questionLength).CopyTo(buffer[offset..]);
        offset += questionLength;
        var name = EncodeName(target);
        offset = WriteRecordHeader(buffer, offset, TypePtr, (ushort)name.Length);
        name.CopyTo(buffer[offset..]);
        return offset + name.Length;
    }

    /// <summary>An answerless error response; the question is echoed only when it parsed.</summary>
    public static int WriteError(Span<byte> buffer, ReadOnlySpan<byte> query, in DnsQuery parsed, int rcode, bool withQuestion)
    {
        var offset = WriteHeader(buffer, parsed, rcode, withQuestion ? 1 : 0, 0, authoritative: false);
        if (!withQuestion) return offset;
        var questionLength = parsed.QuestionEnd - DnsQuery.HeaderSize;
        query.Slice(DnsQuery.HeaderSize, questionLength).CopyTo(buffer[offset..]);
        return offset + questionLength;
    }

    private static int WriteHeader(Span<byte> buffer, in DnsQuery query, int rcode, int questions, int answers, bool authoritative)
    {
        // QR=1, the query's opcode and RD, RA=1 (we recurse through the upstreams).
        var flags = 0x8000 | (query.Flags & 0x7800) | (query.Flags & 0x0100) | 0x0080 | (authoritative ? 0x0400 : 0) | (rcode & 0xf);
        BinaryPrimitives.WriteUInt16BigEndian(buffer, query.Id);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], (ushort)flags);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[4..], (ushort)questions);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[6..], (ushort)answers);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], 0);
        return DnsQuery.HeaderSize;
    }

    private static int WriteRecordHeader(Span<byte> buffer, int offset, ushort type, ushort dataLength)
    {
        // Name: a compression pointer to the question's name at offset 12.
        BinaryPrimitives.WriteUInt16BigEndian(buffer[offset..], 0xc00c);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 2)..], type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 4)..], ClassIn);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[(offset + 6)..], Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[(offset + 10)..], dataLength);
        return offset + 12;
    }

    internal static byte[] EncodeName(string name)
    {
        var result = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bytes = Encoding.ASCII.GetBytes(label.Length > 63 ? label[..63] : label);
            result.Add((byte)bytes.Length);
            result.AddRange(bytes);
        }
        result.Add(0);
        return result.ToArray();
    }
}
