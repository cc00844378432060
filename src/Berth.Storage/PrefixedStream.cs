namespace Berth.Storage;

/// <summary>A read-only stream that yields some already-read bytes and then the rest of an inner stream (to "un-read" sniffed magic bytes).</summary>
public sealed class PrefixedStream : Stream
{
    private readonly ReadOnlyMemory<byte> _prefix;
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private int _used;
    private long _pos;

    public PrefixedStream(ReadOnlyMemory<byte> prefix, Stream inner, bool leaveOpen)
    {
        _prefix = prefix;
        _inner = inner;
        _leaveOpen = leaveOpen;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (_used < _prefix.Length)
        {
            n = Math.Min(buffer.Length, _prefix.Length - _used);
            _prefix.Span.Slice(_used, n).CopyTo(buffer);
            _used += n;
        }
        else
        {
            n = _inner.Read(buffer);
        }
        _pos += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _pos; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen) _inner.Dispose();
        base.Dispose(disposing);
    }
}
