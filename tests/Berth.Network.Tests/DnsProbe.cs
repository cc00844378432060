using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Network.Tests;

/// <summary>A minimal DNS client for tests: builds one-question queries and reads back rcode and A/PTR answers.</summary>
internal static class DnsProbe
{
    public const ushort A = 1, Ptr = 12, Aaaa = 28, Mx = 15;

    public sealed record Answer(int Rcode, bool Authoritative, List<IPAddress> Addresses, List<string> Names, ushort Id);

    public static byte[] Query(string name, ushort type, ushort id = 0x1234)
    {
        var bytes = new List<byte> { (byte)(id >> 8), (byte)id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.AddRange([0, (byte)(type >> 8), (byte)type, 0, 1]);
        return bytes.ToArray();
    }

    public static async Task<Answer> UdpAsync(IPEndPoint server, string name, ushort type)
    {
        using var client = new UdpClient(server.AddressFamily);
        client.Connect(server);
        await client.SendAsync(Query(name, type));
        var result = await client.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return Parse(result.Buffer);
    }

    public static async Task<Answer> TcpAsync(IPEndPoint server, string name, ushort type)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server);
        var stream = client.GetStream();
        var query = Query(name, type);
        await stream.WriteAsync(new[] { (byte)(query.Length >> 8), (byte)query.Length }.Concat(query).ToArray());
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message);
        return Parse(message);
    }

    public static Answer Parse(byte[] message)
    {
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(2));
        var questions = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
        var answers = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(6));
        var offset = 12;
        for (var i = 0; i < questions; i++) offset = SkipName(message, offset) + 4;
        var addresses = new List<IPAddress>();
        var names = new List<string>();
        for (var i = 0; i < answers; i++)
        {
            offset = SkipName(message, offset);
            var type = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset));
            var length = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset + 8));
            offset += 10;
            if (type == A) addresses.Add(new IPAddress(message.AsSpan(offset, 4)));
            if (type == Ptr) names.Add(ReadName(message, offset));
            offset += length;
        }
        return new Answer(flags & 0xf, (flags & 0x0400) != 0, addresses, names, id);
    }

    private static int SkipName(byte[] message, int offset)
    {
        while (true)
        {
            var length = message[offset];
            if ((length & 0xc0) == 0xc0) return offset + 2;
            offset += 1 + length;
            if (length == 0) return offset;
        }
    }

    private static string ReadName(byte[] message, int offset)
    {
        var labels = new List<string>();
        while (message[offset] != 0)
        {
            labels.Add(Encoding.ASCII.GetString(message, offset + 1, message[offset]));
            offset += 1 + message[offset];
        }
        return string.Join('.', labels);
    }
}
