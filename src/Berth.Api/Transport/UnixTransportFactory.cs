using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Berth.Api;

/// <summary>
/// Kestrel transport for unix sockets that supports half-closed connections: the end of the client's input completes
/// the input pipe but leaves the output open until the server completes it. Docker clients shut down their sending
/// side of hijacked attach and exec connections as soon as stdin ends, and still expect the container's output.
/// </summary>
public sealed class UnixTransportFactory : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is UnixDomainSocketEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UnixDomainSocketEndPoint unix) throw new NotSupportedException($"{endpoint} is not a unix socket");
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(unix);
            socket.Listen(512);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return ValueTask.FromResult<IConnectionListener>(new UnixListener(socket, endpoint));
    }

    private sealed class UnixListener(Socket socket, EndPoint endpoint) : IConnectionListener
    {
        private long _nextId;

        public EndPoint EndPoint => endpoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            try
            {
                var accepted = await socket.AcceptAsync(cancellationToken);
                var conn = new UnixConnection(accepted, endpoint, "berth-" + Interlocked.Increment(ref _nextId));
                conn.Start();
                return conn;
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException or SocketException)
            {
                return null; // unbound
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
