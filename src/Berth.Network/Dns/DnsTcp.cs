using System.Buffers.Binary;

namespace Berth.Network.Dns;

/// <summary>DNS over TCP framing (RFC 1035 §4.2.2): each message is preceded by its 16-bit length.</summary>
internal static class DnsTcp
{
    public static async Task<byte[]?> ReadAsync(Stream stream, CancellationToken cancel)
    {
        var prefix = new byte[2];
        if (!await ReadExactlyOrEndAsync(stream, prefix, cancel)) return null;
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        return await ReadExactlyOrEndAsync(stream, message, cancel) ? message : null;
    }

    public static async Task WriteAsync(Stream stream, ReadOnlyMemory<byte> message, CancellationToken cancel)
    {
        var framed = new byte[message.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)message.Length);
        message.CopyTo(framed.AsMemory(2));
        await stream.WriteAsync(framed, cancel);
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream stream, Memory<byte> buffer, CancellationToken cancel)
    {
        try
        {
            await stream.ReadExactlyAsync(buffer, cancel);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }
}
