using System.Net;
using System.Net.NetworkInformation;

namespace Berth.Network.Sandbox;

/// <summary>A container's attachment to a bridge: the host veth, the interface inside the container and its address.</summary>
public sealed record ContainerEndpoint(
    string HostVethName, string InterfaceName, IPAddress Address, int PrefixLength, IPAddress? Gateway, PhysicalAddress MacAddress);
