using System.Net;

namespace Berth.Network.Netlink;

/// <summary>One IPv4 route of the main table (RTM_NEWROUTE); a default route has prefix length 0.</summary>
public sealed record RouteInfo(IPAddress Destination, int PrefixLength, IPAddress? Gateway, int OutputLinkIndex);
