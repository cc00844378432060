using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Berth.Network.Netlink;

/// <summary>Builds one netlink request: header, fixed family struct, then (possibly nested) attributes.</summary>
internal sealed class NetlinkMessage
{
    private byte[] _buffer = new byte[256];
    private int _length;
    private readonly Stack<int> _nests = new();

    public NetlinkMessage(ushort type, ushort flags)
    {
        Type = type;
        _length = NetlinkConstants.HeaderSize;
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(6), (ushort)(flags | NetlinkConstants.NLM_F_REQUEST));
    }

    public ushort Type { get; }

    /// <summary>Appends struct ifinfomsg.</summary>
    public NetlinkMessage IfInfo(int index = 0, uint flags = 0, uint change = 0, byte family = NetlinkConstants.AF_UNSPEC)
    {
        var span = Reserve(NetlinkConstants.IfInfoMsgSize);
        span[0] = family;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], index);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], change);
        return this;
    }

    /// <summary>Appends struct ifaddrmsg.</summary>
    public NetlinkMessage IfAddr(byte family, byte prefixLength, byte scope, int index)
    {
        var span = Reserve(NetlinkConstants.IfAddrMsgSize);
        span[0] = family;
        span[1] = prefixLength;
        span[3] = scope;
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], index);
        return this;
    }

    /// <summary>Appends struct rtmsg.</summary>
    public NetlinkMessage Rt(byte family, byte dstLength, byte table, byte protocol, byte scope, byte type)
    {
        var span = Reserve(NetlinkConstants.RtMsgSize);
        span[0] = family;
        span[1] = dstLength;
        span[4] = table;
        span[5] = protocol;
        span[6] = scope;
        span[7] = type;
        return this;
    }

    public NetlinkMessage Attr(ushort type, ReadOnlySpan<byte> value)
    {
        var span = Reserve(Align(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[4..]);
        return this;
    }

    public NetlinkMessage Attr(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attr(type, bytes);
    }

    /// <summary>A NUL-terminated string attribute, as the kernel expects for names and kinds.</summary>
    public NetlinkMessage Attr(ushort type, string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return Attr(type, bytes);
    }

    public NetlinkMessage Attr(ushort type, IPAddress address) => Attr(type, address.GetAddressBytes());

    public NetlinkMessage BeginNest(ushort type)
    {
        _nests.Push(_length);
        var span = Reserve(4);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        return this;
    }

    public NetlinkMessage EndNest()
    {
        var start = _nests.Pop();
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));
        return this;
    }

    /// <summary>The finished message with its length and sequence number filled in.</summary>
    public ReadOnlySpan<byte> Finish(uint sequence)
    {
        if (_nests.Count != 0) throw new InvalidOperationException("unclosed netlink attribute nest");
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer, (uint)_length);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(8), sequence);
        return _buffer.AsSpan(0, _length);
    }

    public static int Align(int length) => (length + 3) & ~3;

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
