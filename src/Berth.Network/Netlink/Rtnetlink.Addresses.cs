using System.Buffers.Binary;
using System.Net;
using Berth.Core;
using static Berth.Network.Netlink.NetlinkConstants;

namespace Berth.Network.Netlink;

public sealed partial class Rtnetlink
{
    /// <summary>Adds an IPv4 address with its broadcast address; throws Conflict (EEXIST) when already present.</summary>
    public void AddAddress(string name, IPAddress address, int prefixLength)
    {
        var index = GetLink(name).Index;
        var message = AddressMessage(RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, index, address, prefixLength);
        if (prefixLength < 31)
            message.Attr(IFA_BROADCAST, Addressing.Subnet.Create(address, prefixLength).Broadcast);
        _socket.Request(message, $"{address}/{prefixLength} on {name}");
    }

    public void RemoveAddress(string name, IPAddress address, int prefixLength)
    {
        var index = GetLink(name).Index;
        var message = AddressMessage(RTM_DELADDR, NLM_F_ACK, index, address, prefixLength);
        _socket.Request(message, $"{address}/{prefixLength} on {name}");
    }

    /// <summary>IPv4 addresses, of one link when <paramref name="name"/> is given, else of all links.</summary>
    public IReadOnlyList<AddressInfo> ListAddresses(string? name = null)
    {
        var index = name is null ? 0 : GetLink(name).Index;
        var message = new NetlinkMessage(RTM_GETADDR, NLM_F_DUMP).IfAddr(AF_INET, 0, 0, 0);
        var result = new List<AddressInfo>();
        foreach (var payload in _socket.Dump(message, "addresses"))
        {
            if (payload[0] != AF_INET) continue;
            var linkIndex = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4));
            if (index != 0 && linkIndex != index) continue;
            var attrs = NetlinkAttributes.Parse(payload.AsSpan(IfAddrMsgSize));
            if (!attrs.TryGetValue(IFA_LOCAL, out var local) && !attrs.TryGetValue(IFA_ADDRESS, out local)) continue;
            result.Add(new AddressInfo(linkIndex, new IPAddress(local), payload[1]));
        }
        return result;
    }

    /// <summary>Adds a default route through <paramref name="gateway"/>, optionally pinned to a device.</summary>
    public void AddDefaultRoute(IPAddress gateway, string? device = null) => AddRoute(IPAddress.Any, 0, gateway, device);

    /// <summary>Adds an IPv4 route to the main table; without a gateway it is a link-scope route on <paramref name="device"/>.</summary>
    public void AddRoute(IPAddress destination, int prefixLength, IPAddress? gateway, string? device = null) =>
        _socket.Request(RouteMessage(RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, destination, prefixLength, gateway, device),
            RouteSubject(destination, prefixLength, gateway, device));

    public void RemoveRoute(IPAddress destination, int prefixLength, IPAddress? gateway, string? device = null) =>
        _socket.Request(RouteMessage(RTM_DELROUTE, NLM_F_ACK, destination, prefixLength, gateway, device),
            RouteSubject(destination, prefixLength, gateway, device));

    /// <summary>IPv4 routes of the main table.</summary>
    public IReadOnlyList<RouteInfo> ListRoutes()
    {
        var message = new NetlinkMessage(RTM_GETROUTE, NLM_F_DUMP).Rt(AF_INET, 0, 0, 0, 0, 0);
        var result = new List<RouteInfo>();
        foreach (var payload in _socket.Dump(message, "routes"))
        {
            if (payload[0] != AF_INET) continue;
            var attrs = NetlinkAttributes.Parse(payload.AsSpan(RtMsgSize));
            var table = NetlinkAttributes.UInt32(attrs, RTA_TABLE) ?? payload[4];
            if (table != RT_TABLE_MAIN) continue;
            var destination = attrs.TryGetValue(RTA_DST, out var dst) ? new IPAddress(dst) : IPAddress.Any;
            var gateway = attrs.TryGetValue(RTA_GATEWAY, out var gw) ? new IPAddress(gw) : null;
            result.Add(new RouteInfo(destination, payload[1], gateway, (int)(NetlinkAttributes.UInt32(attrs, RTA_OIF) ?? 0)));
        }
        return result;
    }

    private static NetlinkMessage AddressMessage(ushort type, ushort flags, int index, IPAddress address, int prefixLength)
    {
        RequireIPv4(address);
        if (prefixLength is < 0 or > 32) throw BerthException.Invalid($"invalid prefix length {prefixLength} for {address}");
        return new NetlinkMessage(type, flags)
            .IfAddr(AF_INET, (byte)prefixLength, RT_SCOPE_UNIVERSE, index)
            .Attr(IFA_LOCAL, address)
            .Attr(IFA_ADDRESS, address);
    }

    private NetlinkMessage RouteMessage(ushort type, ushort flags, IPAddress destination, int prefixLength, IPAddress? gateway, string? device)
    {
        RequireIPv4(destination);
        if (prefixLength is < 0 or > 32) throw BerthException.Invalid($"invalid prefix length {prefixLength} for {destination}");
        var scope = gateway is null ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
        var message = new NetlinkMessage(type, flags).Rt(AF_INET, (byte)prefixLength, RT_TABLE_MAIN, RTPROT_BOOT, scope, RTN_UNICAST);
        if (prefixLength > 0) message.Attr(RTA_DST, destination);
        if (gateway is not null)
        {
            RequireIPv4(gateway);
            message.Attr(RTA_GATEWAY, gateway);
        }
        if (device is not null) message.Attr(RTA_OIF, (uint)GetLink(device).Index);
        return message;
    }

    private static string RouteSubject(IPAddress destination, int prefixLength, IPAddress? gateway, string? device) =>
        $"{(prefixLength == 0 ? "default" : $"{destination}/{prefixLength}")}{(gateway is null ? "" : $" via {gateway}")}{(device is null ? "" : $" dev {device}")}";

    private static void RequireIPv4(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw BerthException.Invalid($"{address} is not an IPv4 address (IPv6 is not supported yet)");
    }
}
