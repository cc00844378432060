using System.Buffers.Binary;
using System.Text;

namespace Berth.Network.Netlink;

/// <summary>Reads a run of rtattr records into a type → value map (the last one of a type wins).</summary>
internal static class NetlinkAttributes
{
    public static Dictionary<ushort, byte[]> Parse(ReadOnlySpan<byte> data)
    {
        var result = new Dictionary<ushort, byte[]>();
        while (data.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data);
            var type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[2..]) & 0x3fff);
            if (length < 4 || length > data.Length) break;
            result[type] = data[4..length].ToArray();
            var next = NetlinkMessage.Align(length);
            if (next >= data.Length) break;
            data = data[next..];
        }
        return result;
    }

    public static string? String(Dictionary<ushort, byte[]> attrs, ushort type)
    {
        if (!attrs.TryGetValue(type, out var value)) return null;
        var end = Array.IndexOf(value, (byte)0);
        return Encoding.UTF8.GetString(value, 0, end < 0 ? value.Length : end);
    }

    public static uint? UInt32(Dictionary<ushort, byte[]> attrs, ushort type) =>
        attrs.TryGetValue(type, out var value) && value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : null;
}
