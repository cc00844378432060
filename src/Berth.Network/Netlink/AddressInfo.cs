using System.Net;

namespace Berth.Network.Netlink;

/// <summary>One IPv4 address assigned to a link (RTM_NEWADDR).</summary>
public sealed record AddressInfo(int LinkIndex, IPAddress Address, int PrefixLength);
