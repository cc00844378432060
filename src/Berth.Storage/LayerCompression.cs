using System.IO.Compression;

namespace Berth.Storage;

/// <summary>Recognises gzip, zstd or plain tar by magic bytes and returns a stream of the uncompressed tar.</summary>
public static class LayerCompression
{
    /// <summary>Wraps <paramref name="input"/> in the right decompressor; disposing the result disposes <paramref name="input"/> unless <paramref name="leaveOpen"/>.</summary>
    public static Stream Decompress(Stream input, bool leaveOpen = false)
    {
        byte[] magic = new byte[4];
        int n = 0;
        while (n < magic.Length)
        {
            int r = input.Read(magic, n, magic.Length - n);
            if (r == 0) break;
            n += r;
        }
        var whole = new PrefixedStream(magic.AsMemory(0, n), input, leaveOpen);
        if (n >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
            return new GZipStream(whole, CompressionMode.Decompress);
        if (n >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd)
            return new ZstdSharp.DecompressionStream(whole);
        return whole;
    }
}
