using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Berth.Core;

namespace Berth.Network.Addressing;

/// <summary>An IPv4 network in CIDR form ("10.204.3.0/24"); host bits are always zero.</summary>
public readonly record struct Subnet
{
    private Subnet(uint network, int prefixLength)
    {
        NetworkValue = network;
        PrefixLength = prefixLength;
    }

    public int PrefixLength { get; }

    internal uint NetworkValue { get; }

    internal uint Mask => PrefixLength == 0 ? 0 : uint.MaxValue << (32 - PrefixLength);

    internal uint BroadcastValue => NetworkValue | ~Mask;

    public IPAddress Network => ToAddress(NetworkValue);

    public IPAddress Broadcast => ToAddress(BroadcastValue);

    /// <summary>Number of addresses in the subnet, network and broadcast included.</summary>
    public long Size => 1L << (32 - PrefixLength);

    /// <summary>The conventional gateway: the first address after the network address.</summary>
    public IPAddress FirstHost => ToAddress(PrefixLength >= 31 ? NetworkValue : NetworkValue + 1);

    /// <summary>Parses "a.b.c.d/n"; rejects bad syntax, prefixes over 32 and set host bits, naming the value.</summary>
    public static Subnet Parse(string text)
    {
        var slash = text.IndexOf('/');
        if (slash < 0) throw BerthException.Invalid($"invalid subnet {text}: expected CIDR notation such as 10.204.0.0/24");
        var addressText = text[..slash];
        var prefixText = text[(slash + 1)..];
        var address = ParseAddress(addressText, $"invalid subnet {text}");
        if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > 32 || prefixText.Length > 2)
            throw BerthException.Invalid($"invalid subnet {text}: prefix length must be 0-32");
        var subnet = Create(address, prefix);
        if (subnet.NetworkValue != ToValue(address))
            throw BerthException.Invalid($"invalid subnet {text}: host bits are set; did you mean {subnet}?");
        return subnet;
    }

    public static bool TryParse(string text, out Subnet subnet)
    {
        try
        {
            subnet = Parse(text);
            return true;
        }
        catch (BerthException)
        {
            subnet = default;
            return false;
        }
    }

    /// <summary>The subnet of <paramref name="prefixLength"/> bits containing <paramref name="address"/> (host bits cleared).</summary>
    public static Subnet Create(IPAddress address, int prefixLength)
    {
        if (address.AddressFamily != AddressFamily.InterNetwork)
            throw BerthException.Invalid($"{address} is not an IPv4 address (IPv6 is not supported yet)");
        if (prefixLength is < 0 or > 32) throw BerthException.Invalid($"invalid prefix length {prefixLength} for {address}");
        var mask = prefixLength == 0 ? 0 : uint.MaxValue << (32 - prefixLength);
        return new Subnet(ToValue(address) & mask, prefixLength);
    }

    /// <summary>Parses a dotted-quad IPv4 address; the error starts with <paramref name="context"/>.</summary>
    public static IPAddress ParseAddress(string text, string context = "invalid IPv4 address")
    {
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetwork || text.Count(c => c == '.') != 3)
            throw BerthException.Invalid($"{context}: {text} is not an IPv4 address");
        return address;
    }

    public bool Contains(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork && (ToValue(address) & Mask) == NetworkValue;

    /// <summary>Whether <paramref name="other"/> lies entirely inside this subnet.</summary>
    public bool Contains(Subnet other) => other.PrefixLength >= PrefixLength && (other.NetworkValue & Mask) == NetworkValue;

    /// <summary>Whether the two subnets share any address.</summary>
    public bool Overlaps(Subnet other) => Contains(other) || other.Contains(this);

    public override string ToString() => $"{Network}/{PrefixLength}";

    internal static uint ToValue(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    internal static IPAddress ToAddress(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}
