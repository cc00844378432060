using System.Net.NetworkInformation;

namespace Berth.Network.Netlink;

/// <summary>One network interface as the kernel reports it (RTM_NEWLINK).</summary>
/// <param name="Kind">The driver kind from IFLA_INFO_KIND ("bridge", "veth"), or null for physical or loopback links.</param>
/// <param name="MasterIndex">The index of the bridge this link is attached to, or 0.</param>
public sealed record LinkInfo(int Index, string Name, string? Kind, int Mtu, PhysicalAddress? MacAddress, int MasterIndex, bool IsUp);
