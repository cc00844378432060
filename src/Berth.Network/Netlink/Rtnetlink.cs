using System.Net.NetworkInformation;
using Berth.Core;
using static Berth.Network.Netlink.NetlinkConstants;

namespace Berth.Network.Netlink;

/// <summary>An rtnetlink client for links, addresses and routes in the network namespace of the thread that created it.</summary>
/// <remarks>Not thread-safe; create one per operation batch (opening the socket costs a few microseconds).</remarks>
public sealed partial class Rtnetlink : IDisposable
{
    private readonly NetlinkSocket _socket = new();

    public void Dispose() => _socket.Dispose();

    /// <summary>Creates a bridge; fails with EEXIST (Conflict) when a link of that name exists.</summary>
    public void CreateBridge(string name, int mtu = 0)
    {
        LinkName.Validate(name);
        var message = new NetlinkMessage(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL).IfInfo().Attr(IFLA_IFNAME, name);
        if (mtu > 0) message.Attr(IFLA_MTU, (uint)mtu);
        message.BeginNest(IFLA_LINKINFO).Attr(IFLA_INFO_KIND, "bridge").EndNest();
        _socket.Request(message, $"bridge {name}");
    }

    /// <summary>Creates a veth pair; when <paramref name="peerNetnsFd"/> is given the peer is born in that namespace.</summary>
    public void CreateVeth(string name, string peerName, int mtu = 0, int peerNetnsFd = -1)
    {
        LinkName.Validate(name);
        LinkName.Validate(peerName);
        var message = new NetlinkMessage(RTM_NEWLINK, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL).IfInfo().Attr(IFLA_IFNAME, name);
        if (mtu > 0) message.Attr(IFLA_MTU, (uint)mtu);
        message.BeginNest(IFLA_LINKINFO).Attr(IFLA_INFO_KIND, "veth").BeginNest(IFLA_INFO_DATA).BeginNest(VETH_INFO_PEER);
        // VETH_INFO_PEER carries a whole ifinfomsg followed by the peer's own attributes.
        message.IfInfo().Attr(IFLA_IFNAME, peerName);
        if (mtu > 0) message.Attr(IFLA_MTU, (uint)mtu);
        if (peerNetnsFd >= 0) message.Attr(IFLA_NET_NS_FD, (uint)peerNetnsFd);
        message.EndNest().EndNest().EndNest();
        _socket.Request(message, $"veth {name} peer {peerName}");
    }

    /// <summary>Attaches a link to a bridge, or detaches it when <paramref name="master"/> is null.</summary>
    public void SetMaster(string name, string? master)
    {
        var masterIndex = master is null ? 0 : GetLink(master).Index;
        Modify(name, m => m.Attr(IFLA_MASTER, (uint)masterIndex), $"{name} master {master ?? "none"}");
    }

    /// <summary>Moves a link into the network namespace open as <paramref name="netnsFd"/> (IFLA_NET_NS_FD).</summary>
    public void MoveToNamespace(string name, int netnsFd) =>
        Modify(name, m => m.Attr(IFLA_NET_NS_FD, (uint)netnsFd), $"{name} netns fd {netnsFd}");

    /// <summary>Renames a link; the link must be down.</summary>
    public void Rename(string name, string newName)
    {
        LinkName.Validate(newName);
        var index = GetLink(name).Index;
        var message = new NetlinkMessage(RTM_SETLINK, NLM_F_ACK).IfInfo(index).Attr(IFLA_IFNAME, newName);
        _socket.Request(message, $"{name} rename to {newName}");
    }

    public void SetMacAddress(string name, PhysicalAddress mac) =>
        Modify(name, m => m.Attr(IFLA_ADDRESS, mac.GetAddressBytes()), $"{name} address {mac}");

    public void SetMtu(string name, int mtu) => Modify(name, m => m.Attr(IFLA_MTU, (uint)mtu), $"{name} mtu {mtu}");

    /// <summary>Hairpin mode on a bridge port: frames may leave through the port they came in on, so a container
    /// can reach itself through a published port.</summary>
    public void SetHairpin(string name, bool enabled)
    {
        LinkName.Validate(name);
        var message = new NetlinkMessage(RTM_SETLINK, NLM_F_ACK).IfInfo(GetLink(name).Index, family: AF_BRIDGE)
            .BeginNest((ushort)(IFLA_PROTINFO | NLA_F_NESTED)).Attr(IFLA_BRPORT_MODE, [enabled ? (byte)1 : (byte)0]).EndNest();
        _socket.Request(message, $"{name} hairpin {(enabled ? "on" : "off")}");
    }

    public void SetUp(string name) => SetFlags(name, IFF_UP, "up");

    public void SetDown(string name) => SetFlags(name, 0, "down");

    /// <summary>Deletes a link (a veth's peer goes with it); throws NotFound (ENODEV) when absent.</summary>
    public void DeleteLink(string name)
    {
        LinkName.Validate(name);
        var message = new NetlinkMessage(RTM_DELLINK, NLM_F_ACK).IfInfo().Attr(IFLA_IFNAME, name);
        _socket.Request(message, name);
    }

    /// <summary>Deletes a link if it exists; returns whether it did.</summary>
    public bool TryDeleteLink(string name)
    {
        try
        {
            DeleteLink(name);
            return true;
        }
        catch (NetlinkException e) when (e.Kind == ErrorKind.NotFound)
        {
            return false;
        }
    }

    private void SetFlags(string name, uint flags, string what)
    {
        LinkName.Validate(name);
        var message = new NetlinkMessage(RTM_SETLINK, NLM_F_ACK).IfInfo(0, flags, IFF_UP).Attr(IFLA_IFNAME, name);
        _socket.Request(message, $"{name} {what}");
    }

    private void Modify(string name, Action<NetlinkMessage> attributes, string subject)
    {
        LinkName.Validate(name);
        var message = new NetlinkMessage(RTM_SETLINK, NLM_F_ACK).IfInfo().Attr(IFLA_IFNAME, name);
        attributes(message);
        _socket.Request(message, subject);
    }
}
