using System.Buffers.Binary;
using Berth.Core;
using Berth.Network.Native;

namespace Berth.Network.Netlink;

/// <summary>A NETLINK_ROUTE socket in the calling thread's network namespace: request/ack and dump exchanges.</summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly int _fd;
    private uint _sequence;
    private readonly byte[] _receive = new byte[64 * 1024];

    public NetlinkSocket()
    {
        _fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (_fd < 0) throw BerthException.Internal($"socket AF_NETLINK NETLINK_ROUTE: {Errno.DescribeLast()}");
        // sockaddr_nl with pid 0: the kernel assigns our port id.
        var address = stackalloc byte[12];
        new Span<byte>(address, 12).Clear();
        address[0] = Libc.AF_NETLINK;
        if (Libc.bind(_fd, address, 12) != 0)
        {
            var errno = Errno.Last;
            Libc.close(_fd);
            throw BerthException.Internal($"bind AF_NETLINK socket: {Errno.Describe(errno)}");
        }
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>Sends a request with NLM_F_ACK and waits for the kernel's verdict; throws on a negative errno.</summary>
    public void Request(NetlinkMessage message, string subject)
    {
        var sequence = Send(message);
        while (true)
        {
            var length = Receive(message, subject);
            var data = _receive.AsSpan(0, length);
            while (data.Length >= NetlinkConstants.HeaderSize)
            {
                var msgLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                var seq = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
                if (msgLength < NetlinkConstants.HeaderSize || msgLength > data.Length) break;
                if (seq == sequence && type == NetlinkConstants.NLMSG_ERROR)
                {
                    var error = BinaryPrimitives.ReadInt32LittleEndian(data[NetlinkConstants.HeaderSize..]);
                    if (error == 0) return;
                    throw NetlinkException.From(NetlinkConstants.MessageName(message.Type), subject, -error);
                }
                data = data[Math.Min(NetlinkMessage.Align(msgLength), data.Length)..];
            }
        }
    }

    /// <summary>Sends a dump request and returns each reply message's payload (after the netlink header).</summary>
    public List<byte[]> Dump(NetlinkMessage message, string subject)
    {
        var sequence = Send(message);
        var replies = new List<byte[]>();
        while (true)
        {
            var length = Receive(message, subject);
            var data = _receive.AsSpan(0, length);
            while (data.Length >= NetlinkConstants.HeaderSize)
            {
                var msgLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                var seq = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
                if (msgLength < NetlinkConstants.HeaderSize || msgLength > data.Length) break;
                if (seq == sequence)
                {
                    if (type == NetlinkConstants.NLMSG_DONE) return replies;
                    if (type == NetlinkConstants.NLMSG_ERROR)
                    {
                        var error = BinaryPrimitives.ReadInt32LittleEndian(data[NetlinkConstants.HeaderSize..]);
                        if (error == 0) return replies;
                        throw NetlinkException.From(NetlinkConstants.MessageName(message.Type), subject, -error);
                    }
                    replies.Add(data[NetlinkConstants.HeaderSize..msgLength].ToArray());
                }
                data = data[Math.Min(NetlinkMessage.Align(msgLength), data.Length)..];
            }
        }
    }

    public void Dispose() => Libc.close(_fd);

    private uint Send(NetlinkMessage message)
    {
        var sequence = ++_sequence;
        var bytes = message.Finish(sequence);
        fixed (byte* p = bytes)
        {
            nint sent;
            do sent = Libc.send(_fd, p, bytes.Length, 0);
            while (sent < 0 && Errno.Last == Errno.EINTR);
            if (sent < 0) throw BerthException.Internal($"send {NetlinkConstants.MessageName(message.Type)}: {Errno.DescribeLast()}");
        }
        return sequence;
    }

    private int Receive(NetlinkMessage message, string subject)
    {
        fixed (byte* p = _receive)
        {
            nint received;
            do received = Libc.recv(_fd, p, _receive.Length, 0);
            while (received < 0 && Errno.Last == Errno.EINTR);
            if (received < 0)
                throw BerthException.Internal($"recv {NetlinkConstants.MessageName(message.Type)} {subject}: {Errno.DescribeLast()}");
            return (int)received;
        }
    }
}
