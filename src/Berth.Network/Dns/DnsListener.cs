using System.Net;
using System.Net.Sockets;
using Berth.Core;

namespace Berth.Network.Dns;

/// <summary>One network's UDP and TCP sockets: a dedicated thread answers UDP (lowest latency), TCP runs on the pool.</summary>
internal sealed class DnsListener : IDisposable
{
    private const int IpFreebind = 15;
    private readonly DnsServer _server;
    private readonly DnsNames _names;
    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _udpThread;

    public DnsListener(DnsServer server, string network, DnsNames names, IPEndPoint endpoint)
    {
        _server = server;
        _names = names;
        _udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _tcp = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // The bridge address may not be up yet when the daemon starts; FREEBIND lets us bind regardless.
            _udp.SetRawSocketOption(0, IpFreebind, BitConverter.GetBytes(1));
            _tcp.SetRawSocketOption(0, IpFreebind, BitConverter.GetBytes(1));
            _tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _udp.Bind(endpoint);
            var bound = (IPEndPoint)_udp.LocalEndPoint!;
            _tcp.Bind(bound);
            _tcp.Listen(64);
            Endpoint = bound;
        }
        catch (SocketException e)
        {
            _udp.Dispose();
            _tcp.Dispose();
            throw new BerthException(e.SocketErrorCode == SocketError.AddressAlreadyInUse ? ErrorKind.Conflict : ErrorKind.Internal,
                $"DNS listener for network {network} on {endpoint}: {e.Message}", e);
        }
        _udpThread = new Thread(ServeUdp, 256 * 1024) { IsBackground = true, Name = $"berth-dns-{network}" };
        _udpThread.Start();
        _ = ServeTcpAsync();
    }

    public IPEndPoint Endpoint { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Dispose();
        _udpThread.Join(TimeSpan.FromSeconds(2));
    }

    private void ServeUdp()
    {
        var query = new byte[DnsForwarder.MaxUdpMessage];
        var response = new byte[DnsForwarder.MaxUdpMessage];
        var remote = new SocketAddress(Endpoint.AddressFamily);
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = _udp.ReceiveFrom(query, SocketFlags.None, remote);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            var client = remote;
            var length = DnsServer.AnswerLocally(_names, query.AsSpan(0, received), response, _server.Upstreams.Count > 0,
                () => _server.NamesFor(((IPEndPoint)Endpoint.Create(client)).Address));
            if (length > 0) SendUdp(response.AsSpan(0, length), remote);
            else if (length == 0) _ = ForwardUdpAsync(query.AsSpan(0, received).ToArray(), CopyOf(remote));
        }
    }

    private async Task ForwardUdpAsync(byte[] query, SocketAddress remote)
    {
        var answer = await DnsForwarder.ForwardAsync(_server.Upstreams, query, _server.UpstreamTimeout, overTcp: false);
        if (answer is not null)
        {
            SendUdp(answer, remote);
            return;
        }
        var failure = new byte[DnsForwarder.MaxUdpMessage];
        var length = DnsServer.ServerFailure(query, failure);
        if (length > 0) SendUdp(failure.AsSpan(0, length), remote);
    }

    private void SendUdp(ReadOnlySpan<byte> message, SocketAddress remote)
    {
        try
        {
            _udp.SendTo(message, SocketFlags.None, remote);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client is gone or we are stopping; DNS clients retry on their own.
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                if (_stop.IsCancellationRequested) return;
                continue;
            }
            _ = ServeTcpClientAsync(client);
        }
    }

    private async Task ServeTcpClientAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            var response = new byte[ushort.MaxValue];
            while (!_stop.IsCancellationRequested)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                idle.CancelAfter(TimeSpan.FromSeconds(10));
                var query = await DnsTcp.ReadAsync(stream, idle.Token);
                if (query is null) return;
                var length = DnsServer.AnswerLocally(_names, query, response, _server.Upstreams.Count > 0,
                    () => client.RemoteEndPoint is IPEndPoint peer ? _server.NamesFor(peer.Address) : []);
                if (length < 0) return;
                if (length > 0)
                {
                    await DnsTcp.WriteAsync(stream, response.AsMemory(0, length), _stop.Token);
                    continue;
                }
                var answer = await DnsForwarder.ForwardAsync(_server.Upstreams, query, _server.UpstreamTimeout, overTcp: true);
                if (answer is null)
                {
                    length = DnsServer.ServerFailure(query, response);
                    answer = response[..length];
                }
                await DnsTcp.WriteAsync(stream, answer, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Idle, reset or shutting down: DNS over TCP clients reconnect.
        }
    }

    private static SocketAddress CopyOf(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.CopyTo(copy.Buffer);
        return copy;
    }
}
