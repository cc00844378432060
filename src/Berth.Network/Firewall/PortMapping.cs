using System.Net;
using Berth.Core;

namespace Berth.Network.Firewall;

/// <summary>A published port: traffic to <see cref="HostIp"/>:<see cref="HostPort"/> is DNAT'd to the container.</summary>
/// <param name="HostIp">The host address to listen on; null or 0.0.0.0 means every local address (127.0.0.1 included).</param>
public sealed record PortMapping(TransportProtocol Protocol, IPAddress? HostIp, int HostPort, IPAddress ContainerIp, int ContainerPort)
{
    internal void Validate()
    {
        if (HostPort is < 1 or > 65535) throw BerthException.Invalid($"invalid host port {HostPort}: must be 1-65535");
        if (ContainerPort is < 1 or > 65535) throw BerthException.Invalid($"invalid container port {ContainerPort}: must be 1-65535");
        if (ContainerIp.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw BerthException.Invalid($"container address {ContainerIp} is not IPv4 (IPv6 publishing is not supported yet)");
    }

    internal bool AllHostAddresses => HostIp is null || HostIp.Equals(IPAddress.Any) || HostIp.Equals(IPAddress.IPv6Any);

    public override string ToString() =>
        $"{(AllHostAddresses ? "0.0.0.0" : HostIp)}:{HostPort}->{ContainerIp}:{ContainerPort}/{Protocol.ToString().ToLowerInvariant()}";
}
