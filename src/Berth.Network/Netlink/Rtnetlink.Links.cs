using System.Buffers.Binary;
using System.Net.NetworkInformation;
using Berth.Core;
using static Berth.Network.Netlink.NetlinkConstants;

namespace Berth.Network.Netlink;

public sealed partial class Rtnetlink
{
    /// <summary>All links of this namespace.</summary>
    public IReadOnlyList<LinkInfo> ListLinks()
    {
        var message = new NetlinkMessage(RTM_GETLINK, NLM_F_DUMP).IfInfo();
        return _socket.Dump(message, "links").Select(ParseLink).ToList();
    }

    /// <summary>The link of that name, or null when there is none.</summary>
    public LinkInfo? FindLink(string name)
    {
        try
        {
            return GetLink(name);
        }
        catch (NetlinkException e) when (e.Kind == ErrorKind.NotFound)
        {
            return null;
        }
    }

    /// <summary>The link of that name; throws NotFound naming it when absent.</summary>
    public LinkInfo GetLink(string name)
    {
        LinkName.Validate(name);
        var message = new NetlinkMessage(RTM_GETLINK, NLM_F_ACK).IfInfo().Attr(IFLA_IFNAME, name);
        var replies = _socket.Dump(message, $"link {name}");
        if (replies.Count == 0) throw BerthException.NotFound($"link {name} not found");
        return ParseLink(replies[0]);
    }

    private static LinkInfo ParseLink(byte[] payload)
    {
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload.AsSpan(4));
        var flags = BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(8));
        var attrs = NetlinkAttributes.Parse(payload.AsSpan(IfInfoMsgSize));
        string? kind = null;
        if (attrs.TryGetValue(IFLA_LINKINFO, out var linkInfo))
            kind = NetlinkAttributes.String(NetlinkAttributes.Parse(linkInfo), IFLA_INFO_KIND);
        var mac = attrs.TryGetValue(IFLA_ADDRESS, out var address) ? new PhysicalAddress(address) : null;
        return new LinkInfo(
            index,
            NetlinkAttributes.String(attrs, IFLA_IFNAME) ?? "",
            kind,
            (int)(NetlinkAttributes.UInt32(attrs, IFLA_MTU) ?? 0),
            mac,
            (int)(NetlinkAttributes.UInt32(attrs, IFLA_MASTER) ?? 0),
            (flags & IFF_UP) != 0);
    }
}
