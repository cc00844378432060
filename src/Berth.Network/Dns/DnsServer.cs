using System.Collections.Concurrent;
using System.Net;
using Berth.Core;

namespace Berth.Network.Dns;

/// <summary>The embedded DNS server: per-network names answered locally, everything else forwarded to the host's resolvers.</summary>
/// <remarks>Each user-defined network gets a listener (UDP and TCP) on its bridge gateway, port 53; containers use the
/// gateway as nameserver, and a query is answered from the names of the network it arrived on.</remarks>
public sealed partial class DnsServer : IDisposable
{
    private readonly ConcurrentDictionary<string, DnsNames> _networks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DnsListener> _listeners = new(StringComparer.Ordinal);

    /// <param name="upstreams">Resolvers for names that are not ours; defaults to the host's /etc/resolv.conf.</param>
    public DnsServer(IEnumerable<IPEndPoint>? upstreams = null)
    {
        Upstreams = (upstreams ?? ResolvConf.ReadNameservers()).ToArray();
    }

    /// <summary>Where unknown names are forwarded, tried in order; replace it when the host's resolv.conf changes.</summary>
    public IReadOnlyList<IPEndPoint> Upstreams { get; set; }

    /// <summary>How long to wait for each upstream before trying the next (then SERVFAIL).</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Starts answering queries for <paramref name="network"/> on address:port (UDP and TCP); returns the bound endpoint.</summary>
    /// <remarks>Port 0 picks a free port (tests). The address need not be configured yet (IP_FREEBIND).</remarks>
    public IPEndPoint AddListener(string network, IPAddress address, int port = 53)
    {
        var names = NamesOf(network);
        var listener = new DnsListener(this, network, names, new IPEndPoint(address, port));
        if (!_listeners.TryAdd(network, listener))
        {
            listener.Dispose();
            throw BerthException.Conflict($"DNS listener for network {network} already exists");
        }
        return listener.Endpoint;
    }

    /// <summary>Stops the network's listener; its names stay registered until <see cref="RemoveNetwork"/>.</summary>
    public bool RemoveListener(string network)
    {
        if (!_listeners.TryRemove(network, out var listener)) return false;
        listener.Dispose();
        return true;
    }

    /// <summary>Stops the listener and forgets every name of the network.</summary>
    public void RemoveNetwork(string network)
    {
        RemoveListener(network);
        _networks.TryRemove(network, out _);
    }

    /// <summary>Makes <paramref name="name"/> (container name, alias, short id, service name) resolve to the address
    /// on that network; several addresses per name are answered together (compose scale).</summary>
    public void Register(string network, string name, IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            throw BerthException.Invalid($"DNS address {address} for {name} is not IPv4 (AAAA records are not supported yet)");
        NamesOf(network).Add(name, address);
    }

    /// <summary>Removes one name → address pair, or all addresses of the name when <paramref name="address"/> is null.</summary>
    public bool Unregister(string network, string name, IPAddress? address = null) =>
        _networks.TryGetValue(network, out var names) && names.Remove(name, address);

    /// <summary>Removes every name of a container's address on the network; returns how many names went.</summary>
    public int UnregisterAddress(string network, IPAddress address) =>
        _networks.TryGetValue(network, out var names) ? names.RemoveAddress(address) : 0;

    /// <summary>The locally registered addresses of a name on a network (case-insensitive); empty when unknown.</summary>
    public IReadOnlyList<IPAddress> Resolve(string network, string name) =>
        _networks.TryGetValue(network, out var names) ? names.Lookup(name.ToLowerInvariant()) ?? [] : [];

    public void Dispose()
    {
        foreach (var network in _listeners.Keys.ToList()) RemoveListener(network);
    }

    /// <summary>
    /// The networks a client address belongs to besides the one its query arrived on (a container on several networks
    /// resolves the names of all of them, as in Docker); set by the engine. Asked only for names the arrival network lacks.
    /// </summary>
    public Func<IPAddress, IReadOnlyList<string>>? ClientNetworks { get; set; }

    internal IEnumerable<DnsNames> NamesFor(IPAddress client) =>
        (ClientNetworks?.Invoke(client) ?? []).Select(n => _networks.TryGetValue(n, out var names) ? names : null).OfType<DnsNames>();

    private DnsNames NamesOf(string network)
    {
        if (string.IsNullOrEmpty(network)) throw BerthException.Invalid("DNS network name is empty");
        return _networks.GetOrAdd(network, n => new DnsNames(n));
    }
}
