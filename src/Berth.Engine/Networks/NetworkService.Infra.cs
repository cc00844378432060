using System.Net;
using System.Text.Json;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Network.Addressing;
using Berth.Network.Firewall;
using Berth.Network.Netlink;
using Berth.Network.Sandbox;

namespace Berth.Engine.Networks;

public sealed partial class NetworkService
{
    private void EnsurePredefined()
    {
        var cidr = Config.DefaultBridgeCidr.Split('/');
        var gateway = Subnet.ParseAddress(cidr[0], "invalid --bip address");
        int prefix = cidr.Length == 2 && int.TryParse(cidr[1], out var p) && p is >= 8 and <= 30 ? p
            : throw Core.BerthException.Invalid($"invalid --bip \"{Config.DefaultBridgeCidr}\": expected an address with a prefix length from 8 to 30, such as 10.203.0.1/16");
        var subnet = Subnet.Create(gateway, prefix);
        Put("bridge", "bridge", n => { n.BridgeName = Config.DefaultBridge; n.Subnet = subnet.ToString(); n.Gateway = gateway.ToString(); n.UserSubnet = false; });
        Put("host", "host", _ => { });
        Put("none", "null", _ => { });

        void Put(string name, string driver, Action<NetworkRecord> configure)
        {
            var rec = _byId.Values.FirstOrDefault(n => n.Name == name);
            if (rec == null)
            {
                rec = new NetworkRecord { Id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), Name = name, Driver = driver, Created = DateTimeOffset.UtcNow };
                _byId[rec.Id] = rec;
            }
            // The daemon's options win over what an earlier run stored (a changed --bip or --bridge).
            configure(rec);
            _db.Put(Kind, rec.Id, JsonSerializer.Serialize(rec, EngineJson.Default.NetworkRecord));
        }
    }

    /// <summary>The bridge with its gateway address, the address allocator and the DNS listener of a bridge network.</summary>
    private void BringUp(NetworkRecord n)
    {
        var subnet = Subnet.Parse(n.Subnet!);
        var gateway = IPAddress.Parse(n.Gateway!);
        NetworkSandbox.EnsureBridge(n.BridgeName, gateway, subnet.PrefixLength, n.Mtu);
        _ipam[n.Id] = new Ipam(subnet, gateway, n.IpRange == null ? null : Subnet.Parse(n.IpRange));
        _dns.AddListener(n.Name, gateway);
    }

    private void TearDown(NetworkRecord n)
    {
        _dns.RemoveNetwork(n.Name);
        _ipam.Remove(n.Id);
        NetworkSandbox.RemoveBridge(n.BridgeName);
    }

    /// <summary>Renders the firewall table from the bridge networks and running containers' published ports and swaps it in.</summary>
    private void ApplyFirewall(ContainerRecord? starting = null)
    {
        if (!_initialized) return;
        var bridges = _byId.Values.Where(n => n.IsBridge).Select(n => new BridgeNetwork(n.BridgeName, Subnet.Parse(n.Subnet!), n.Internal)).ToList();
        var ports = new List<PortMapping>();
        foreach (var c in Containers())
        {
            if (c.Ports.Count == 0 || !(c.State.Running || c == starting)) continue;
            var ip = PrimaryEndpoint(c)?.IpAddress;
            if (ip == null) continue;
            foreach (var p in c.Ports)
                ports.Add(new PortMapping(p.Protocol == "udp" ? TransportProtocol.Udp : TransportProtocol.Tcp,
                    p.HostIp.Length == 0 ? null : IPAddress.Parse(p.HostIp), p.HostPort, IPAddress.Parse(ip), p.ContainerPort));
        }
        NftRuleset.Apply(new NetworkRuleset(bridges, ports, Config.FirewallTable));
    }

    /// <summary>The endpoint published ports lead to: the container's network mode's network, else its first one.</summary>
    internal static EndpointRecord? PrimaryEndpoint(ContainerRecord c) =>
        c.Networks.TryGetValue(c.HostConfig.NetworkMode ?? "", out var primary) ? primary : c.Networks.Values.FirstOrDefault();

    private static bool HostLinkExists(string name)
    {
        using var netlink = new Rtnetlink();
        return netlink.FindLink(name) != null;
    }

    /// <summary>Subnets the host already routes (its interfaces' networks), so new networks overlap none of them.</summary>
    private static IEnumerable<Subnet> HostSubnets()
    {
        using var netlink = new Rtnetlink();
        return netlink.ListAddresses()
            .Where(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && a.PrefixLength < 32 && a.Address.GetAddressBytes()[0] != 127)
            .Select(a => Subnet.Create(a.Address, a.PrefixLength)).ToList();
    }

    /// <summary>The network as GET /networks/{id} shows it; with containers when asked (inspect does, list does not).</summary>
    public NetworkResource ToResource(NetworkRecord n, bool withContainers)
    {
        var res = new NetworkResource
        {
            Name = n.Name, Id = n.Id, Created = n.Created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'"), Scope = "local", Driver = n.Driver,
            EnableIPv4 = n.Driver != "null", Internal = n.Internal, Attachable = n.Attachable,
            IPAM = new NetworkIpam
            {
                Driver = "default", Options = null,
                Config = n.Subnet == null ? new() : new() { new NetworkIpamConfig { Subnet = n.Subnet, Gateway = n.Gateway, IPRange = n.IpRange } },
            },
            Options = n.IsBridge ? new(n.Options) { ["com.docker.network.bridge.name"] = n.BridgeName, ["com.docker.network.driver.mtu"] = n.Mtu.ToString() } : new(),
            Labels = n.Labels,
            Containers = new(),
        };
        if (withContainers)
            foreach (var c in Containers().Where(c => c.State.Running))
                if (c.Networks.Values.FirstOrDefault(e => e.NetworkId == n.Id && e.IpAddress != null) is { } ep)
                    res.Containers![c.Id] = new NetworkContainer { Name = c.Name, EndpointID = ep.EndpointId, MacAddress = ep.MacAddress ?? "", IPv4Address = $"{ep.IpAddress}/{ep.PrefixLength}" };
        return res;
    }

    /// <summary>docker network ls filters: name, id, driver, label, type (builtin/custom), dangling.</summary>
    public IReadOnlyList<NetworkRecord> List(Dictionary<string, List<string>> filters)
    {
        FilterArgs.Validate(filters, "name", "id", "driver", "label", "type", "dangling", "scope");
        var containers = Containers();
        return All().Where(n =>
            (!filters.TryGetValue("name", out var names) || names.Any(x => n.Name.Contains(x, StringComparison.Ordinal))) &&
            (!filters.TryGetValue("id", out var ids) || ids.Any(x => n.Id.StartsWith(x, StringComparison.Ordinal))) &&
            (!filters.TryGetValue("driver", out var drivers) || drivers.Contains(n.Driver)) &&
            (!filters.TryGetValue("scope", out var scopes) || scopes.Contains("local")) &&
            (!filters.TryGetValue("label", out var labels) || labels.All(l => ContainerFilter.LabelMatches(n.Labels, l))) &&
            (!filters.TryGetValue("type", out var types) || types.Any(t => t == "builtin" ? n.Predefined : t == "custom" ? !n.Predefined
                : throw Core.BerthException.Invalid($"invalid filter 'type={t}': use builtin or custom"))) &&
            (!filters.TryGetValue("dangling", out var dangling) || dangling.All(d => (d is "true" or "1") == (!n.Predefined && !containers.Any(c => c.Networks.Values.Any(e => e.NetworkId == n.Id)))))
        ).ToList();
    }
}
