using System.Buffers.Binary;

namespace Berth.Runtime.Logging;

/// <summary>Docker's multiplexed stdio framing: an 8-byte header (stream 0/1/2, three zero bytes, big-endian uint32 length) before each payload.</summary>
public static class MultiplexedFrame
{
    public const int HeaderSize = 8;
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;

    /// <summary>Writes the header for a payload of <paramref name="length"/> bytes on <paramref name="stream"/>.</summary>
    public static void WriteHeader(Span<byte> header, byte stream, int length)
    {
        header[0] = stream;
        header[1] = header[2] = header[3] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)length);
    }

    /// <summary>Reads a header; false when the first byte is not a known stream or the zero bytes are not zero.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out byte stream, out int length)
    {
        stream = header[0];
        length = (int)BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        return stream <= 2 && header[1] == 0 && header[2] == 0 && header[3] == 0 && length >= 0;
    }

    /// <summary>Reads one frame from <paramref name="input"/>; null at a clean end of stream.</summary>
    public static async Task<(byte Stream, byte[] Payload)?> ReadFrameAsync(Stream input, CancellationToken ct = default)
    {
        var header = new byte[HeaderSize];
        int got = 0;
        while (got < HeaderSize)
        {
            int n = await input.ReadAsync(header.AsMemory(got), ct).ConfigureAwait(false);
            if (n == 0)
                return got == 0 ? null : throw new EndOfStreamException($"truncated stream frame header ({got} of 8 bytes)");
            got += n;
        }
        if (!TryReadHeader(header, out byte stream, out int length))
            throw new InvalidDataException($"bad stream frame header {Convert.ToHexString(header)}");
        var payload = new byte[length];
        await input.ReadExactlyAsync(payload, ct).ConfigureAwait(false);
        return (stream, payload);
    }
}
