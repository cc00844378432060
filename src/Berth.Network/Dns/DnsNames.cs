using System.Net;
using Berth.Core;

namespace Berth.Network.Dns;

/// <summary>The names of one network: container names, aliases and short ids → addresses, and addresses → container name.</summary>
internal sealed class DnsNames
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<IPAddress>> _forward = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, List<string>> _reverse = [];

    public DnsNames(string network) => Suffix = "." + network.ToLowerInvariant();

    /// <summary>"name.network" resolves like "name", as in Docker.</summary>
    private string Suffix { get; }

    public void Add(string name, IPAddress address)
    {
        var key = Normalize(name);
        lock (_lock)
        {
            if (!_forward.TryGetValue(key, out var addresses)) _forward[key] = addresses = [];
            if (!addresses.Contains(address)) addresses.Add(address);
            if (!_reverse.TryGetValue(address, out var names)) _reverse[address] = names = [];
            if (!names.Contains(key)) names.Add(key);
        }
    }

    /// <summary>Removes one name → address pair, or every address of the name when <paramref name="address"/> is null.</summary>
    public bool Remove(string name, IPAddress? address)
    {
        var key = Normalize(name);
        lock (_lock)
        {
            if (!_forward.TryGetValue(key, out var addresses)) return false;
            var removed = address is null ? addresses.ToList() : addresses.Where(a => a.Equals(address)).ToList();
            foreach (var a in removed)
            {
                addresses.Remove(a);
                if (_reverse.TryGetValue(a, out var names) && names.Remove(key) && names.Count == 0) _reverse.Remove(a);
            }
            if (addresses.Count == 0) _forward.Remove(key);
            return removed.Count > 0;
        }
    }

    /// <summary>Removes every name pointing at the address (a container leaving the network).</summary>
    public int RemoveAddress(IPAddress address)
    {
        lock (_lock)
        {
            if (!_reverse.Remove(address, out var names)) return 0;
            foreach (var name in names)
            {
                var addresses = _forward[name];
                addresses.Remove(address);
                if (addresses.Count == 0) _forward.Remove(name);
            }
            return names.Count;
        }
    }

    /// <summary>The addresses of a lower-cased name, or null when the name is not ours.</summary>
    public IPAddress[]? Lookup(string name)
    {
        if (name.EndsWith('.')) name = name[..^1];
        lock (_lock)
        {
            if (_forward.TryGetValue(name, out var addresses)) return addresses.ToArray();
            if (name.EndsWith(Suffix, StringComparison.Ordinal) && _forward.TryGetValue(name[..^Suffix.Length], out addresses))
                return addresses.ToArray();
            return null;
        }
    }

    /// <summary>The first name registered for the address (the container name), for PTR queries.</summary>
    public string? ReverseLookup(IPAddress address)
    {
        lock (_lock) return _reverse.TryGetValue(address, out var names) ? names[0] : null;
    }

    internal static string Normalize(string name)
    {
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        if (trimmed.Length is 0 or > 253 || trimmed.Split('.').Any(l => l.Length is 0 or > 63) ||
            !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw BerthException.Invalid($"invalid DNS name \"{name}\"");
        return trimmed.ToLowerInvariant();
    }
}
