using System.Buffers.Binary;

namespace Berth.Client;

/// <summary>Splits Docker's multiplexed stream (8-byte header: stream type, 3 zero bytes, big-endian length) into stdout and stderr.</summary>
public static class StreamDemultiplexer
{
    /// <summary>Copies frames until the source ends; stdin-typed (0) frames go to stdout as Docker does. Returns the bytes copied.</summary>
    public static async Task<long> CopyAsync(Stream source, Stream stdout, Stream stderr, CancellationToken ct = default)
    {
        byte[] header = new byte[8];
        byte[] buffer = new byte[32 * 1024];
        long total = 0;
        while (true)
        {
            int got = await ReadFullAsync(source, header, ct).ConfigureAwait(false);
            if (got == 0) return total;
            if (got < 8) throw new InvalidDataException($"multiplexed stream ended inside a frame header ({got} of 8 bytes)");
            Stream target = header[0] switch
            {
                0 or 1 => stdout,
                2 => stderr,
                // Docker uses 3 for "systemerr": an error the daemon reports in-band.
                3 => stderr,
                _ => throw new InvalidDataException($"unrecognised stream type {header[0]} in multiplexed stream"),
            };
            long length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
            while (length > 0)
            {
                int n = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), ct).ConfigureAwait(false);
                if (n == 0) throw new InvalidDataException("multiplexed stream ended inside a frame");
                await target.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                await target.FlushAsync(ct).ConfigureAwait(false);
                length -= n;
                total += n;
            }
        }
    }

    /// <summary>Builds one frame (used by tests and by anything that writes the format).</summary>
    public static byte[] Frame(int streamType, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[8 + payload.Length];
        frame[0] = (byte)streamType;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)payload.Length);
        payload.CopyTo(frame.AsSpan(8));
        return frame;
    }

    private static async Task<int> ReadFullAsync(Stream source, byte[] buffer, CancellationToken ct)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = await source.ReadAsync(buffer.AsMemory(got), ct).ConfigureAwait(false);
            if (n == 0) break;
            got += n;
        }
        return got;
    }
}
