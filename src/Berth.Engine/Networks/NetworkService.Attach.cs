using System.Net;
using System.Net.NetworkInformation;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Network;
using Berth.Network.Addressing;
using Berth.Network.Sandbox;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    /// <summary>The container's pinned network namespace while it runs on bridge networks.</summary>
    public string NetnsPath(string containerId) => Path.Combine(NetnsDir, containerId[..24]);

    /// <summary>
    /// The networks a new container joins: its network mode's (bridge by default) and any others in NetworkingConfig, with
    /// aliases, --ip and --mac-address checked against each network. Host, none and container: modes join none here.
    /// </summary>
    public Dictionary<string, EndpointRecord> PlanEndpoints(HostConfig hc, NetworkingConfig? networking, string? legacyMac)
    {
        string mode = hc.NetworkMode ?? "bridge";
        var requested = networking?.EndpointsConfig ?? new();
        var result = new Dictionary<string, EndpointRecord>(StringComparer.Ordinal);
        if (mode is "host" or "none" || mode.StartsWith("container:", StringComparison.Ordinal))
        {
            if (requested.Keys.Any(k => k != mode))
                throw BerthException.Invalid($"conflicting options: a container in network mode {mode} cannot join other networks");
            if (requested.Values.Any(e => e.Aliases is { Count: > 0 } || e.IPAMConfig?.IPv4Address != null))
                throw BerthException.Invalid("network-scoped aliases and --ip are supported only for containers in user defined networks");
            return result;
        }
        var primary = Resolve(mode);
        if (primary.Driver != "bridge") throw BerthException.Invalid($"network {mode} cannot be used as a container's network mode here");
        // The CLI names the network mode's entry "default" when no --network was given.
        EndpointSettings? Own(string key) => key is "default" || key == mode || key == primary.Name || key == primary.Id ? requested.GetValueOrDefault(key) : null;
        Add(primary, requested.Keys.Select(Own).FirstOrDefault(e => e != null), legacyMac);
        foreach (var (key, settings) in requested)
        {
            if (Own(key) != null) continue;
            var n = Resolve(key);
            if (n.Id != primary.Id) Add(n, settings, null);
        }
        return result;

        void Add(NetworkRecord n, EndpointSettings? s, string? mac) => result[n.Name] = Endpoint(n, s, mac);
    }

    /// <summary>Checks and records one membership: aliases and fixed addresses only on user networks, a MAC that parses.</summary>
    private EndpointRecord Endpoint(NetworkRecord n, EndpointSettings? s, string? legacyMac)
    {
        if (n.Driver != "bridge") throw BerthException.Invalid($"container cannot be connected to network {n.Name} (driver {n.Driver})");
        var ep = new EndpointRecord { NetworkId = n.Id, Aliases = s?.Aliases?.ToList() ?? new() };
        if (ep.Aliases.Count > 0 && n.Predefined)
            throw BerthException.Invalid("network-scoped alias is supported only for containers in user defined networks");
        foreach (var a in ep.Aliases)
            if (a.Length is 0 or > 255 || !a.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')) throw BerthException.Invalid($"invalid network alias \"{Printable(a)}\": not a valid DNS name");
        if (s?.IPAMConfig?.IPv4Address is { Length: > 0 } ip)
        {
            if (!n.UserSubnet) throw BerthException.Invalid("user specified IP address is supported only when connecting to networks with user configured subnets");
            var addr = Subnet.ParseAddress(ip, "invalid --ip address");
            var subnet = Subnet.Parse(n.Subnet!);
            if (!subnet.Contains(addr) || addr.Equals(subnet.Network) || addr.Equals(subnet.Broadcast) || addr.ToString() == n.Gateway)
                throw BerthException.Invalid($"invalid --ip {addr}: not a free host address of network {n.Name}'s subnet {subnet}");
            var owner = Containers().FirstOrDefault(c => c.Networks.Values.Any(e => e.NetworkId == n.Id && (e.RequestedIp == addr.ToString() || e.IpAddress == addr.ToString())));
            if (owner != null) throw BerthException.Conflict($"address {addr} is already in use on network {n.Name} by container {owner.Name}");
            ep.RequestedIp = addr.ToString();
        }
        string? mac = s?.MacAddress is { Length: > 0 } m ? m : legacyMac;
        if (!string.IsNullOrEmpty(mac))
        {
            if (!PhysicalAddress.TryParse(mac.Replace(':', '-').ToUpperInvariant(), out var parsed) || parsed.GetAddressBytes().Length != 6 || (parsed.GetAddressBytes()[0] & 1) != 0)
                throw BerthException.Invalid($"invalid MAC address \"{Printable(mac)}\": expected six unicast hex octets such as 92:d0:c6:0a:29:33");
            ep.RequestedMac = mac.ToLowerInvariant();
        }
        return ep;
    }

    /// <summary>
    /// Before the container's process starts: pins a network namespace, connects a veth per network (the primary one
    /// carries the default route), registers DNS names and publishes ports. On failure everything made is undone.
    /// Returns the namespace path, or null when the container has no bridge networks.
    /// </summary>
    public string? Attach(ContainerRecord rec)
    {
        if (rec.Networks.Count == 0) return null;
        lock (Sync)
        {
            string netns = NetnsPath(rec.Id);
            if (File.Exists(netns)) NetworkNamespaceFile.Delete(netns);
            NetworkNamespaceFile.Create(netns);
            try
            {
                int index = 0;
                var primary = PrimaryEndpoint(rec);
                foreach (var (_, ep) in rec.Networks)
                    Connect(rec, ep, netns, "eth" + index++, ep == primary);
                UpdateClientNetworks(rec);
                rec.Ports = PortPublisher.Resolve(rec, Containers().Where(c => c.Id != rec.Id && c.State.Running));
                if (rec.Ports.Count > 0) ApplyFirewall(starting: rec);
            }
            catch
            {
                Detach(rec);
                throw;
            }
            return netns;
        }
    }

    private void Connect(ContainerRecord rec, EndpointRecord ep, string netns, string iface, bool primary)
    {
        var n = _byId.GetValueOrDefault(ep.NetworkId) ?? throw BerthException.NotFound($"network {ep.NetworkId} not found");
        var ipam = _ipam[n.Id];
        var ip = ep.RequestedIp != null ? ipam.Allocate(IPAddress.Parse(ep.RequestedIp)) : ipam.Allocate();
        ep.IpAddress = ip.ToString();
        try
        {
            var mac = ep.RequestedMac != null ? PhysicalAddress.Parse(ep.RequestedMac.Replace(':', '-').ToUpperInvariant()) : null;
            var gw = IPAddress.Parse(n.Gateway!);
            // A fresh host-side name per start: the previous run's veth may still be going away with its namespace.
            string veth = "vb" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
            var endpoint = NetworkSandbox.ConnectContainer(n.BridgeName, veth, netns, ip, ipam.Subnet.PrefixLength,
                primary && !n.Internal ? gw : null, mac, n.Mtu, iface);
            ep.HostVeth = endpoint.HostVethName;
            ep.PrefixLength = endpoint.PrefixLength;
            ep.Gateway = n.Gateway;
            ep.MacAddress = string.Join(':', endpoint.MacAddress.GetAddressBytes().Select(b => b.ToString("x2")));
            ep.EndpointId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        }
        catch
        {
            ipam.Release(ip);
            ep.IpAddress = null;
            throw;
        }
        Register(rec, ep, n);
    }

    /// <summary>Lets the container's addresses resolve the names of every user network it is on, whichever gateway it asks.</summary>
    private void UpdateClientNetworks(ContainerRecord rec)
    {
        var names = rec.Networks.Values.Where(e => e.IpAddress != null && _byId.TryGetValue(e.NetworkId, out var n) && !n.Predefined)
            .Select(e => _byId[e.NetworkId].Name).ToArray();
        foreach (var ep in rec.Networks.Values)
            if (ep.IpAddress != null) _clientNetworks[IPAddress.Parse(ep.IpAddress)] = names;
    }

    /// <summary>Names a container answers to on a user network: its name, its short ID and its aliases (the default bridge has none, as in Docker).</summary>
    private void Register(ContainerRecord rec, EndpointRecord ep, NetworkRecord n)
    {
        if (n.Predefined || ep.IpAddress == null) return;
        var ip = IPAddress.Parse(ep.IpAddress);
        _dns.Register(n.Name, rec.Name, ip);
        _dns.Register(n.Name, rec.Id[..12], ip);
        foreach (var a in ep.Aliases) _dns.Register(n.Name, a, ip);
    }

    /// <summary>After the container stopped: removes its veths, addresses, names, published ports and namespace; never throws.</summary>
    public void Detach(ContainerRecord rec)
    {
        lock (Sync)
        {
            // The veths go with the namespace once its pin is removed below: the kernel tears them down in the
            // background, which keeps its ~20 ms veth teardown off the container's exit (and run --rm's) path.
            foreach (var ep in rec.Networks.Values) Disconnect(ep, deleteVeth: false);
            if (rec.Ports.Count > 0)
            {
                rec.Ports = new();
                try { ApplyFirewall(); } catch (BerthException) { /* the next change renders the table again */ }
            }
            try { if (File.Exists(NetnsPath(rec.Id))) NetworkNamespaceFile.Delete(NetnsPath(rec.Id)); }
            catch (Exception) { /* a leftover pin is removed at the next start of this container */ }
        }
    }

    private void Disconnect(EndpointRecord ep, bool deleteVeth)
    {
        if (deleteVeth && ep.HostVeth != null)
        {
            try { NetworkSandbox.DisconnectContainer(ep.HostVeth); } catch (Exception) { /* goes with the namespace */ }
        }
        if (ep.IpAddress != null && IPAddress.TryParse(ep.IpAddress, out var ip))
        {
            if (_ipam.TryGetValue(ep.NetworkId, out var ipam)) ipam.Release(ip);
            if (_byId.TryGetValue(ep.NetworkId, out var n)) _dns.UnregisterAddress(n.Name, ip);
            _clientNetworks.TryRemove(ip, out _);
        }
        ep.IpAddress = null;
        ep.HostVeth = null;
        ep.Gateway = null;
        ep.MacAddress = null;
        ep.EndpointId = "";
        ep.PrefixLength = 0;
    }

    /// <summary>After a daemon restart, for a container that kept running: its addresses are reserved and its names served again.</summary>
    public void Readopt(ContainerRecord rec)
    {
        lock (Sync)
            foreach (var ep in rec.Networks.Values)
            {
                if (ep.IpAddress == null || !_byId.TryGetValue(ep.NetworkId, out var n) || !_ipam.TryGetValue(n.Id, out var ipam)) continue;
                var ip = IPAddress.Parse(ep.IpAddress);
                if (!ipam.IsAllocated(ip)) ipam.Allocate(ip);
                Register(rec, ep, n);
                UpdateClientNetworks(rec);
            }
    }

    /// <summary>Renders the firewall again (after re-adopting containers at daemon start).</summary>
    public void Refresh()
    {
        lock (Sync) ApplyFirewall();
    }

    /// <summary>The default bridge's gateway: what --add-host NAME:host-gateway resolves to.</summary>
    public string HostGateway()
    {
        lock (Sync) return _byId.Values.First(n => n.Name == "bridge").Gateway!;
    }

    /// <summary>The primary network's gateway, the nameserver of a container on bridge networks (the embedded DNS listens there).</summary>
    public string? NameserverFor(ContainerRecord rec) =>
        PrimaryEndpoint(rec) is { } ep && _byId.TryGetValue(ep.NetworkId, out var n) ? n.Gateway : null;
}
