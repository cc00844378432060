using System.Security.Cryptography;
using Berth.Core;

namespace Berth.Storage;

/// <summary>A read-only pass-through stream that counts and sha256-hashes every byte read, so a DiffID is known once the tar is drained.</summary>
internal sealed class CountingHashStream : Stream
{
    private readonly Stream _inner;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public CountingHashStream(Stream inner) => _inner = inner;

    public long BytesRead { get; private set; }

    /// <summary>How many zero bytes end the data read so far; a complete tar ends with zero blocks.</summary>
    public long TrailingZeroBytes { get; private set; }

    public Digest Finish() => Digest.FromHash(_hash);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = _inner.Read(buffer);
        if (n > 0)
        {
            _hash.AppendData(buffer[..n]);
            BytesRead += n;
            int last = buffer[..n].LastIndexOfAnyExcept((byte)0);
            TrailingZeroBytes = last < 0 ? TrailingZeroBytes + n : n - last - 1;
        }
        return n;
    }

    /// <summary>Reads to the end, so trailing tar padding is part of the hash.</summary>
    public void Drain()
    {
        byte[] buf = new byte[1 << 16];
        while (Read(buf, 0, buf.Length) > 0) { }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
