using System.Globalization;

namespace Berth.Client.Http;

/// <summary>A read-only response body over a <see cref="ConnectionReader"/>: Content-Length, chunked, or until the connection closes.</summary>
internal sealed class ResponseBodyStream : Stream
{
    private readonly ConnectionReader _reader;
    private readonly bool _chunked;
    private long _remaining; // bytes left in the body (length mode) or the current chunk (chunked mode); -1 = until EOF
    private bool _done;

    private ResponseBodyStream(ConnectionReader reader, bool chunked, long length)
    {
        _reader = reader;
        _chunked = chunked;
        _remaining = length;
        _done = !chunked && length == 0;
    }

    public static ResponseBodyStream ContentLength(ConnectionReader reader, long length) => new(reader, false, length);
    public static ResponseBodyStream Chunked(ConnectionReader reader) => new(reader, true, 0);
    public static ResponseBodyStream UntilClose(ConnectionReader reader) => new(reader, false, -1);

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_done || buffer.Length == 0) return 0;
        if (_chunked && _remaining == 0)
        {
            string? line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is { Length: 0 }) line = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false); // CRLF after the previous chunk
            if (line == null) throw new EngineConnectionException("connection closed in the middle of a chunked response");
            int semi = line.IndexOf(';');
            string hex = (semi >= 0 ? line[..semi] : line).Trim();
            if (!long.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long size) || size < 0)
                throw new EngineConnectionException($"invalid chunk size \"{hex}\" in response");
            if (size == 0)
            {
                // Trailers end with an empty line.
                while (await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { Length: > 0 }) { }
                _done = true;
                return 0;
            }
            _remaining = size;
        }
        int want = _remaining < 0 ? buffer.Length : (int)Math.Min(buffer.Length, _remaining);
        int n = await _reader.ReadAsync(buffer[..want], cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            if (_remaining > 0) throw new EngineConnectionException("connection closed before the end of the response body");
            _done = true;
            return 0;
        }
        if (_remaining > 0)
        {
            _remaining -= n;
            if (_remaining == 0 && !_chunked) _done = true;
        }
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Writes a request body in HTTP/1.1 chunked encoding.</summary>
internal static class ChunkedWriter
{
    public static async Task CopyAsync(Stream source, Stream destination, CancellationToken ct)
    {
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = await source.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            byte[] head = System.Text.Encoding.ASCII.GetBytes(n.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
            await destination.WriteAsync(head, ct).ConfigureAwait(false);
            await destination.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
            await destination.WriteAsync("\r\n"u8.ToArray(), ct).ConfigureAwait(false);
        }
        await destination.WriteAsync("0\r\n\r\n"u8.ToArray(), ct).ConfigureAwait(false);
    }
}
