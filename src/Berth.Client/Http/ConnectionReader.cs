using System.Net.Sockets;
using System.Text;

namespace Berth.Client.Http;

/// <summary>A read buffer over a connected socket: header lines first, then the body bytes through the same buffer.</summary>
internal sealed class ConnectionReader
{
    private readonly Stream _inner;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _pos;
    private int _len;

    public ConnectionReader(Stream inner) => _inner = inner;

    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (destination.Length == 0) return 0;
        if (_pos < _len)
        {
            int n = Math.Min(destination.Length, _len - _pos);
            _buffer.AsMemory(_pos, n).CopyTo(destination);
            _pos += n;
            return n;
        }
        // Large reads bypass the buffer.
        if (destination.Length >= _buffer.Length) return await _inner.ReadAsync(destination, ct).ConfigureAwait(false);
        _pos = 0;
        _len = await _inner.ReadAsync(_buffer, ct).ConfigureAwait(false);
        if (_len == 0) return 0;
        return await ReadAsync(destination, ct).ConfigureAwait(false);
    }

    public int Read(Span<byte> destination)
    {
        if (destination.Length == 0) return 0;
        if (_pos < _len)
        {
            int n = Math.Min(destination.Length, _len - _pos);
            _buffer.AsSpan(_pos, n).CopyTo(destination);
            _pos += n;
            return n;
        }
        return _inner.Read(destination);
    }

    /// <summary>Reads one CRLF- (or LF-) terminated line as Latin-1; null at end of stream.</summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken ct)
    {
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _len)
            {
                _pos = 0;
                _len = await _inner.ReadAsync(_buffer, ct).ConfigureAwait(false);
                if (_len == 0) return sb.Length == 0 ? null : sb.ToString();
            }
            int nl = Array.IndexOf(_buffer, (byte)'\n', _pos, _len - _pos);
            int end = nl < 0 ? _len : nl;
            sb.Append(Encoding.Latin1.GetString(_buffer, _pos, end - _pos));
            if (sb.Length > 64 * 1024) throw new EngineConnectionException("response header line longer than 64 KiB");
            if (nl >= 0)
            {
                _pos = nl + 1;
                if (sb.Length > 0 && sb[^1] == '\r') sb.Length--;
                return sb.ToString();
            }
            _pos = _len;
        }
    }
}

/// <summary>Owns the socket of one request/response exchange.</summary>
internal sealed class Connection : IDisposable
{
    public Connection(Socket socket)
    {
        Socket = socket;
        Stream = new NetworkStream(socket, ownsSocket: true);
        Reader = new ConnectionReader(Stream);
    }

    public Socket Socket { get; }
    public NetworkStream Stream { get; }
    public ConnectionReader Reader { get; }

    public void Dispose() => Stream.Dispose();
}
