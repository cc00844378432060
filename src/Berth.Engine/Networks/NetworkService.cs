using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Network.Addressing;
using Berth.Network.Dns;
using Berth.Storage;

namespace Berth.Engine.Networks;

/// <summary>
/// Networks of the daemon: the predefined bridge, host and none, and user-defined bridges. Each bridge network has a
/// Linux bridge, an address allocator and a DNS listener on its gateway; the firewall table is rendered from all of
/// them and the published ports of running containers. Containers' memberships live in their own records.
/// </summary>
public sealed partial class NetworkService : IDisposable
{
    private const string Kind = "network";
    private readonly MetadataDb _db;
    private readonly EventBus _events;
    private readonly Dictionary<string, NetworkRecord> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Ipam> _ipam = new(StringComparer.Ordinal);
    private readonly DnsServer _dns;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IPAddress, string[]> _clientNetworks = new();
    private bool _initialized;

    public NetworkService(MetadataDb db, EventBus events, NetworkConfig config, string netnsDir)
    {
        _db = db;
        _events = events;
        Config = config;
        NetnsDir = netnsDir;
        var upstreams = config.Dns is { Count: > 0 } dns
            ? dns.Select(d => new IPEndPoint(Subnet.ParseAddress(d, "invalid --dns address"), 53)).ToList()
            : null;
        _dns = new DnsServer(upstreams) { ClientNetworks = ip => _clientNetworks.GetValueOrDefault(ip) ?? [] };
        foreach (var (_, json) in db.List(Kind))
            if (JsonSerializer.Deserialize(json, EngineJson.Default.NetworkRecord) is { } rec) _byId[rec.Id] = rec;
    }

    public NetworkConfig Config { get; }

    /// <summary>Where containers' network namespaces are pinned (one file each).</summary>
    public string NetnsDir { get; }

    public Lock Sync { get; } = new();

    /// <summary>All containers, for "in use" checks and reconciliation; set by the composition root.</summary>
    public Func<IReadOnlyList<ContainerRecord>> Containers { get; set; } = () => [];

    /// <summary>Creates the predefined networks, brings up every bridge and its DNS listener, and installs the firewall table.</summary>
    public void Initialize()
    {
        lock (Sync)
        {
            Directory.CreateDirectory(NetnsDir);
            EnsurePredefined();
            foreach (var n in _byId.Values.Where(n => n.IsBridge)) BringUp(n);
            if (_byId.Values.Any(n => n.IsBridge && !n.Internal)) Network.Sandbox.Sysctl.EnableIpForwarding();
            _initialized = true;
            ApplyFirewall();
        }
    }

    public IReadOnlyList<NetworkRecord> All()
    {
        lock (Sync) return _byId.Values.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>By full ID, then exact name, then unique ID prefix, as Docker resolves networks.</summary>
    public NetworkRecord Resolve(string idOrName) => TryResolve(idOrName) ?? throw BerthException.NotFound($"network {idOrName} not found");

    public NetworkRecord? TryResolve(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        lock (Sync)
        {
            if (_byId.TryGetValue(idOrName, out var byId)) return byId;
            var byName = _byId.Values.FirstOrDefault(n => n.Name == idOrName);
            if (byName != null) return byName;
            var prefixed = _byId.Values.Where(n => n.Id.StartsWith(idOrName, StringComparison.Ordinal)).ToList();
            if (prefixed.Count > 1) throw BerthException.Invalid($"network {idOrName} is ambiguous ({prefixed.Count} matches found based on ID prefix)");
            return prefixed.SingleOrDefault();
        }
    }

    /// <summary>docker network create: validates everything first, then makes the bridge, DNS listener and firewall rules.</summary>
    public NetworkRecord Create(NetworkCreateRequest req)
    {
        string name = req.Name ?? "";
        if (name.Length == 0 || name.Length > 128 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            throw BerthException.Invalid($"invalid network name \"{Printable(name)}\": use letters, digits, '_', '.' and '-', starting with a letter or digit");
        string driver = string.IsNullOrEmpty(req.Driver) ? "bridge" : req.Driver;
        if (driver != "bridge")
            throw BerthException.NotFound($"could not find plugin {driver} in v1 plugin registry: plugin not found (Berth networks use the bridge driver)");
        if (req.EnableIPv6 == true) throw BerthException.Invalid("IPv6 networks are not supported by Berth yet");
        var options = new Dictionary<string, string>(req.Options ?? new());
        foreach (var key in options.Keys)
            if (key is not ("com.docker.network.bridge.name" or "com.docker.network.driver.mtu"))
                throw BerthException.Invalid($"unknown network option \"{Printable(key)}\": Berth knows com.docker.network.bridge.name and com.docker.network.driver.mtu");
        int mtu = 1500;
        if (options.TryGetValue("com.docker.network.driver.mtu", out var mtuText) && (!int.TryParse(mtuText, out mtu) || mtu is < 68 or > 65535))
            throw BerthException.Invalid($"invalid MTU \"{Printable(mtuText)}\": must be a number from 68 to 65535");
        var ipamConfigs = req.IPAM?.Config ?? new();
        if (ipamConfigs.Count > 1) throw BerthException.Invalid("a network takes one IPv4 subnet in Berth");
        if (req.IPAM?.Driver is { Length: > 0 } ipamDriver && ipamDriver != "default")
            throw BerthException.Invalid($"IPAM driver \"{Printable(ipamDriver)}\" is not supported: use the default driver");
        var ipamConfig = ipamConfigs.SingleOrDefault();
        string id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string bridge = options.TryGetValue("com.docker.network.bridge.name", out var b) ? b : "br-" + id[..12];
        if (bridge.Length is 0 or > 15 || bridge.Any(c => c is '/' or ' ' or ':' || char.IsControl(c)))
            throw BerthException.Invalid($"invalid bridge name \"{Printable(bridge)}\": at most 15 characters, no '/', ':' or spaces");

        lock (Sync)
        {
            if (_byId.Values.Any(n => n.Name == name)) throw BerthException.Conflict($"network with name {name} already exists");
            if (_byId.Values.Any(n => n.BridgeName == bridge) || HostLinkExists(bridge))
                throw BerthException.Conflict($"bridge name {bridge} is already in use");
            var (subnet, gateway, ipRange) = Addressing(ipamConfig);
            var rec = new NetworkRecord
            {
                Id = id, Name = name, Driver = driver, Created = DateTimeOffset.UtcNow,
                Subnet = subnet.ToString(), Gateway = gateway.ToString(), IpRange = ipRange?.ToString(), UserSubnet = ipamConfig?.Subnet != null,
                Internal = req.Internal == true, Attachable = req.Attachable == true, BridgeName = bridge, Mtu = mtu,
                Options = options, Labels = new(req.Labels ?? new()),
            };
            _db.Put(Kind, id, JsonSerializer.Serialize(rec, EngineJson.Default.NetworkRecord));
            _byId[id] = rec;
            try
            {
                BringUp(rec);
                if (!rec.Internal) Network.Sandbox.Sysctl.EnableIpForwarding();
                ApplyFirewall();
            }
            catch
            {
                TearDown(rec);
                _db.Delete(Kind, id);
                _byId.Remove(id);
                throw;
            }
            _events.Publish("network", "create", id, new() { ["name"] = name, ["type"] = driver });
            return rec;
        }
    }

    /// <summary>docker network rm: refused for predefined networks and while any container is attached.</summary>
    public void Remove(string idOrName)
    {
        lock (Sync)
        {
            var rec = Resolve(idOrName);
            if (rec.Predefined) throw BerthException.Forbidden($"{rec.Name} is a pre-defined network and cannot be removed");
            var users = Containers().Where(c => c.Networks.Values.Any(e => e.NetworkId == rec.Id)).Select(c => c.Name).ToList();
            if (users.Count > 0)
                throw BerthException.Forbidden($"error while removing network: network {rec.Name} id {rec.Id} has active endpoints ({string.Join(", ", users)})");
            TearDown(rec);
            _db.Delete(Kind, rec.Id);
            _byId.Remove(rec.Id);
            ApplyFirewall();
            _events.Publish("network", "destroy", rec.Id, new() { ["name"] = rec.Name, ["type"] = rec.Driver });
        }
    }

    /// <summary>docker network prune: user networks no container belongs to (filters until, label, label!).</summary>
    public NetworkPruneResponse Prune(Dictionary<string, List<string>> filters)
    {
        FilterArgs.Validate(filters, "until", "label", "label!");
        var deleted = new List<string>();
        foreach (var n in All().Where(n => !n.Predefined))
        {
            if (filters.TryGetValue("label", out var l) && !l.All(x => ContainerFilter.LabelMatches(n.Labels, x))) continue;
            if (filters.TryGetValue("label!", out var nl) && nl.Any(x => ContainerFilter.LabelMatches(n.Labels, x))) continue;
            if (filters.TryGetValue("until", out var until) && until.Count > 0 && n.Created > ContainerFilter.ParseUntil(until[^1])) continue;
            try
            {
                Remove(n.Id);
                deleted.Add(n.Name);
            }
            catch (BerthException) { /* in use */ }
        }
        _events.Publish("network", "prune", "", new());
        return new NetworkPruneResponse { NetworksDeleted = deleted };
    }

    private (Subnet Subnet, IPAddress Gateway, Subnet? IpRange) Addressing(NetworkIpamConfig? cfg)
    {
        var others = _byId.Values.Where(n => n.Subnet != null).Select(n => Subnet.Parse(n.Subnet!)).Concat(HostSubnets()).ToList();
        Subnet subnet;
        if (cfg?.Subnet is { Length: > 0 } text)
        {
            subnet = ParseSubnet(text);
            var clash = others.FirstOrDefault(o => o.Overlaps(subnet));
            if (clash != default) throw BerthException.Forbidden($"invalid pool request: Pool overlaps with other one on this address space ({subnet} overlaps {clash})");
        }
        else
        {
            if (cfg?.Gateway != null || cfg?.IPRange != null) throw BerthException.Invalid("--gateway and --ip-range need --subnet");
            subnet = new SubnetPool(Subnet.Parse(Config.AddressPool), Config.PoolPrefixLength).Allocate(others);
        }
        var gateway = cfg?.Gateway is { Length: > 0 } g ? Subnet.ParseAddress(g, "invalid gateway address") : subnet.FirstHost;
        if (!subnet.Contains(gateway) || gateway.Equals(subnet.Network) || gateway.Equals(subnet.Broadcast))
            throw BerthException.Invalid($"invalid gateway {gateway}: it must be a host address of subnet {subnet}");
        Subnet? range = null;
        if (cfg?.IPRange is { Length: > 0 } r)
        {
            range = ParseSubnet(r);
            if (!subnet.Contains(range.Value)) throw BerthException.Invalid($"invalid ip-range {range}: it must lie inside subnet {subnet}");
        }
        return (subnet, gateway, range);
    }

    private static Subnet ParseSubnet(string text)
    {
        try { return Subnet.Parse(text); }
        catch (BerthException e) { throw BerthException.Invalid($"invalid subnet \"{Printable(text)}\": {e.Message}"); }
    }

    internal static string Printable(string s) => Volumes.VolumeNames.Printable(s);

    public void Dispose() => _dns.Dispose();
}
