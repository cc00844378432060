using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Berth.Network.Dns;

/// <summary>Relays a query to the upstream resolvers in turn, each with a timeout; the response is passed back verbatim.</summary>
internal static class DnsForwarder
{
    public const int MaxUdpMessage = 4096;

    /// <summary>The first upstream's response, or null when none answered in time.</summary>
    public static async Task<byte[]?> ForwardAsync(IReadOnlyList<IPEndPoint> upstreams, ReadOnlyMemory<byte> query, TimeSpan timeout, bool overTcp)
    {
        if (query.Length < DnsQuery.HeaderSize) return null;
        var id = BinaryPrimitives.ReadUInt16BigEndian(query.Span);
        foreach (var upstream in upstreams)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                var response = await ViaUdpAsync(upstream, query, id, cancel.Token);
                // TC set: the answer did not fit a datagram; a TCP client can take it whole.
                if (overTcp && response.Length > 2 && (response[2] & 0x02) != 0)
                    response = await ViaTcpAsync(upstream, query, cancel.Token);
                return response;
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
            {
                // Try the next resolver, like the stub resolver in libc does.
            }
        }
        return null;
    }

    private static async Task<byte[]> ViaUdpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, ushort id, CancellationToken cancel)
    {
        // A fresh socket per query gives a random source port, which is what keeps off-path spoofing hard.
        using var socket = new Socket(upstream.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(upstream, cancel);
        await socket.SendAsync(query, SocketFlags.None, cancel);
        var buffer = new byte[MaxUdpMessage];
        while (true)
        {
            var length = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel);
            if (length >= DnsQuery.HeaderSize && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id) return buffer[..length];
        }
    }

    private static async Task<byte[]> ViaTcpAsync(IPEndPoint upstream, ReadOnlyMemory<byte> query, CancellationToken cancel)
    {
        using var socket = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(upstream, cancel);
        await using var stream = new NetworkStream(socket);
        await DnsTcp.WriteAsync(stream, query, cancel);
        return await DnsTcp.ReadAsync(stream, cancel) ?? throw new IOException($"DNS upstream {upstream} closed the connection");
    }
}
