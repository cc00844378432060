using System.Net.Sockets;
using Berth.Client.Http;

namespace Berth.Client;

/// <summary>The raw duplex stream of an upgraded (101) attach or exec-start connection; <see cref="CloseWrite"/> half-closes it when stdin ends.</summary>
public sealed class HijackedStream : Stream
{
    private readonly Connection _connection;

    internal HijackedStream(Connection connection, int statusCode, string? contentType)
    {
        _connection = connection;
        StatusCode = statusCode;
        ContentType = contentType;
    }

    /// <summary>101 for an upgraded connection; 200 when the server streamed without upgrading.</summary>
    public int StatusCode { get; }

    /// <summary>application/vnd.docker.raw-stream (tty) or application/vnd.docker.multiplexed-stream.</summary>
    public string? ContentType { get; }

    /// <summary>Shuts down the sending side so the container sees end of input, while output keeps flowing.</summary>
    public void CloseWrite()
    {
        try { _connection.Socket.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _connection.Reader.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _connection.Reader.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => _connection.Reader.Read(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _connection.Stream.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _connection.Stream.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _connection.Stream.Write(buffer, offset, count);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _connection.Dispose();
        base.Dispose(disposing);
    }
}
