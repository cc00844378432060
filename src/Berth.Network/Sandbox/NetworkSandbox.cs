using System.Net;
using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;
using Berth.Core;
using Berth.Network.Addressing;
using Berth.Network.Native;
using Berth.Network.Netlink;

namespace Berth.Network.Sandbox;

/// <summary>Wires bridges and container network namespaces with rtnetlink, for the engine's container start and stop.</summary>
public static class NetworkSandbox
{
    /// <summary>Creates the bridge if missing, gives it the gateway address, a stable MAC and brings it up; idempotent.</summary>
    /// <param name="routeLocalnet">Sets route_localnet so ports published on 127.0.0.1 can be DNAT'd to containers.</param>
    public static void EnsureBridge(string name, IPAddress gateway, int prefixLength, int mtu = 1500, bool routeLocalnet = true)
    {
        using var netlink = new Rtnetlink();
        var link = netlink.FindLink(name);
        if (link is null)
        {
            netlink.CreateBridge(name, mtu);
            // A bridge takes the lowest MAC of its ports unless given one; a fixed MAC keeps neighbours' ARP caches valid.
            netlink.SetMacAddress(name, RandomMac());
        }
        else if (link.Kind != "bridge")
            throw BerthException.Conflict($"link {name} exists and is a {link.Kind ?? "non-bridge"} link, not a bridge");
        else if (link.Mtu != mtu)
            netlink.SetMtu(name, mtu);
        var subnet = Subnet.Create(gateway, prefixLength);
        foreach (var address in netlink.ListAddresses(name))
        {
            if (address.Address.Equals(gateway) && address.PrefixLength == prefixLength) continue;
            netlink.RemoveAddress(name, address.Address, address.PrefixLength);
        }
        if (!netlink.ListAddresses(name).Any(a => a.Address.Equals(gateway)))
            netlink.AddAddress(name, gateway, subnet.PrefixLength);
        netlink.SetUp(name);
        if (routeLocalnet) Sysctl.SetRouteLocalnet(name, true);
    }

    /// <summary>Deletes the bridge; absent bridges are fine.</summary>
    public static bool RemoveBridge(string name)
    {
        using var netlink = new Rtnetlink();
        return netlink.TryDeleteLink(name);
    }

    /// <summary>Creates a veth pair, attaches the host end to the bridge and configures the other end inside the namespace.</summary>
    /// <param name="gateway">The default route's next hop; null for internal networks, which get no default route.</param>
    public static ContainerEndpoint ConnectContainer(
        string bridgeName, string hostVethName, string netnsPath, IPAddress address, int prefixLength,
        IPAddress? gateway, PhysicalAddress? mac = null, int mtu = 1500, string interfaceName = "eth0")
    {
        var macAddress = mac ?? MacFor(address);
        var fd = Libc.open(netnsPath, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) throw new BerthException(Errno.Last == Errno.ENOENT ? ErrorKind.NotFound : ErrorKind.Internal,
            $"open network namespace {netnsPath}: {Errno.DescribeLast()}");
        using var netlink = new Rtnetlink();
        try
        {
            // The peer is born inside the container's namespace under its final name: no move, no rename.
            netlink.CreateVeth(hostVethName, interfaceName, mtu, fd);
        }
        finally
        {
            Libc.close(fd);
        }
        try
        {
            netlink.SetMaster(hostVethName, bridgeName);
            netlink.SetHairpin(hostVethName, true);
            netlink.SetUp(hostVethName);
            NetnsScope.Run(netnsPath, () =>
            {
                using var inner = new Rtnetlink();
                inner.SetMacAddress(interfaceName, macAddress);
                inner.AddAddress(interfaceName, address, prefixLength);
                inner.SetUp("lo");
                inner.SetUp(interfaceName);
                if (gateway is not null) inner.AddDefaultRoute(gateway, interfaceName);
            });
        }
        catch
        {
            netlink.TryDeleteLink(hostVethName);
            throw;
        }
        return new ContainerEndpoint(hostVethName, interfaceName, address, prefixLength, gateway, macAddress);
    }

    /// <summary>Deletes the host end of a container's veth (the peer in the container goes with it); absent is fine.</summary>
    public static bool DisconnectContainer(string hostVethName)
    {
        using var netlink = new Rtnetlink();
        return netlink.TryDeleteLink(hostVethName);
    }

    /// <summary>Deletes bridges and veths carrying Berth's prefixes that the engine's records do not expect; returns their names.</summary>
    public static IReadOnlyList<string> Reconcile(IEnumerable<string> expectedLinks, string bridgePrefix = "berth", string vethPrefix = "vb")
    {
        var expected = expectedLinks.ToHashSet(StringComparer.Ordinal);
        using var netlink = new Rtnetlink();
        var deleted = new List<string>();
        foreach (var link in netlink.ListLinks())
        {
            var ours = (link.Kind == "bridge" && link.Name.StartsWith(bridgePrefix, StringComparison.Ordinal)) ||
                       (link.Kind == "veth" && link.Name.StartsWith(vethPrefix, StringComparison.Ordinal));
            if (ours && !expected.Contains(link.Name) && netlink.TryDeleteLink(link.Name)) deleted.Add(link.Name);
        }
        return deleted;
    }

    /// <summary>A stable host-side veth name for a container on a network: "vb" + 12 hex digits (15-character limit).</summary>
    public static string HostVethName(string containerId, string networkId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{containerId}/{networkId}"));
        return "vb" + Convert.ToHexStringLower(hash)[..12];
    }

    /// <summary>A locally administered MAC derived from the IPv4 address (02:42:a:b:c:d), as Docker did for years.</summary>
    public static PhysicalAddress MacFor(IPAddress address)
    {
        var bytes = new byte[6];
        bytes[0] = 0x02;
        bytes[1] = 0x42;
        address.GetAddressBytes().CopyTo(bytes, 2);
        return new PhysicalAddress(bytes);
    }

    private static PhysicalAddress RandomMac()
    {
        var bytes = RandomNumberGenerator.GetBytes(6);
        bytes[0] = (byte)((bytes[0] & 0xfe) | 0x02);
        return new PhysicalAddress(bytes);
    }
}
