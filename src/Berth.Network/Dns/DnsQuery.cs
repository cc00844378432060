using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Dns;

/// <summary>The parts of a DNS query message the server acts on (RFC 1035 §4.1): header fields and the single question.</summary>
internal readonly record struct DnsQuery(ushort Id, ushort Flags, string Name, ushort Type, ushort Class, int QuestionEnd)
{
    public const int HeaderSize = 12;

    public int Opcode => (Flags >> 11) & 0xf;

    public bool RecursionDesired => (Flags & 0x0100) != 0;

    public bool IsResponse => (Flags & 0x8000) != 0;

    /// <summary>Parses the header and first question; false when the message is too malformed to answer at all.</summary>
    public static bool TryParse(ReadOnlySpan<byte> message, out DnsQuery query, out bool headerOnly)
    {
        query = default;
        headerOnly = false;
        if (message.Length < HeaderSize) return false;
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        query = new DnsQuery(id, flags, "", 0, 0, HeaderSize);
        headerOnly = true;
        if (questions != 1) return true;
        var offset = HeaderSize;
        var name = new StringBuilder();
        while (true)
        {
            if (offset >= message.Length) return true;
            var length = message[offset];
            // Compression pointers never appear in a lone question; refusing them avoids pointer loops.
            if ((length & 0xc0) != 0) return true;
            offset++;
            if (length == 0) break;
            if (offset + length > message.Length || name.Length + length + 1 > 255) return true;
            if (name.Length > 0) name.Append('.');
            foreach (var b in message.Slice(offset, length))
                name.Append(b is >= (byte)'A' and <= (byte)'Z' ? (char)(b + 32) : (char)b);
            offset += length;
        }
        if (offset + 4 > message.Length) return true;
        var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        var @class = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        query = new DnsQuery(id, flags, name.ToString(), type, @class, offset + 4);
        headerOnly = false;
        return true;
    }
}
