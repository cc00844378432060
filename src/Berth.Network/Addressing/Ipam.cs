using System.Net;
using Berth.Core;

namespace Berth.Network.Addressing;

/// <summary>IPv4 address allocation for one network: skips network, gateway and broadcast, honours --ip-range and --ip.</summary>
/// <remarks>Holds no storage of its own: the engine persists <see cref="State"/> or rebuilds with the addresses in use.</remarks>
public sealed class Ipam
{
    private readonly HashSet<uint> _allocated = [];
    private readonly uint _first;
    private readonly uint _last;
    private uint _next;

    /// <param name="gateway">The bridge's address; defaults to the first host of the subnet.</param>
    /// <param name="ipRange">The part of the subnet automatic allocation draws from (--ip-range); explicit addresses may lie outside it.</param>
    /// <param name="allocated">Addresses already in use (from the engine's records), excluding the gateway.</param>
    public Ipam(Subnet subnet, IPAddress? gateway = null, Subnet? ipRange = null, IEnumerable<IPAddress>? allocated = null)
    {
        if (subnet.PrefixLength > 30) throw BerthException.Invalid($"subnet {subnet} is too small: a network needs at least a /30");
        Subnet = subnet;
        Gateway = gateway ?? subnet.FirstHost;
        if (!subnet.Contains(Gateway)) throw BerthException.Invalid($"gateway {Gateway} is outside subnet {subnet}");
        if (Gateway.Equals(subnet.Network) || Gateway.Equals(subnet.Broadcast))
            throw BerthException.Invalid($"gateway {Gateway} is the network or broadcast address of subnet {subnet}");
        if (ipRange is { } range && !subnet.Contains(range))
            throw BerthException.Invalid($"ip-range {range} is outside subnet {subnet}");
        IpRange = ipRange;
        var pool = ipRange ?? subnet;
        _first = Math.Max(pool.NetworkValue, subnet.NetworkValue + 1);
        _last = Math.Min(pool.BroadcastValue, subnet.BroadcastValue - 1);
        _next = _first;
        foreach (var address in allocated ?? []) Allocate(address);
    }

    public Subnet Subnet { get; }

    public IPAddress Gateway { get; }

    public Subnet? IpRange { get; }

    /// <summary>The addresses handed out, in ascending order (the gateway is not listed).</summary>
    public IReadOnlyList<IPAddress> Allocated => _allocated.Order().Select(Subnet.ToAddress).ToList();

    /// <summary>A serializable snapshot; <see cref="FromState"/> rebuilds an identical allocator.</summary>
    public IpamState State => new(
        Subnet.ToString(), Gateway.ToString(), IpRange?.ToString(),
        Allocated.Select(a => a.ToString()).ToArray(), Subnet.ToAddress(_next).ToString());

    public static Ipam FromState(IpamState state)
    {
        var ipam = new Ipam(
            Subnet.Parse(state.Subnet),
            Subnet.ParseAddress(state.Gateway, "invalid gateway"),
            state.IpRange is null ? null : Subnet.Parse(state.IpRange),
            state.Allocated.Select(a => Subnet.ParseAddress(a, "invalid allocated address")));
        if (state.Next is not null)
        {
            var next = Subnet.ToValue(Subnet.ParseAddress(state.Next, "invalid next address"));
            if (next >= ipam._first && next <= ipam._last) ipam._next = next;
        }
        return ipam;
    }

    /// <summary>The next free address of the range; wraps around so recently released addresses are reused last.</summary>
    public IPAddress Allocate()
    {
        var count = (long)_last - _first + 1;
        var gateway = Subnet.ToValue(Gateway);
        var candidate = _next;
        for (long i = 0; i < count; i++)
        {
            if (candidate != gateway && !_allocated.Contains(candidate))
            {
                _allocated.Add(candidate);
                _next = candidate == _last ? _first : candidate + 1;
                return Subnet.ToAddress(candidate);
            }
            candidate = candidate == _last ? _first : candidate + 1;
        }
        throw BerthException.Precondition(
            $"no free IPv4 address left in {(IpRange is { } range ? $"ip-range {range} of " : "")}subnet {Subnet}");
    }

    /// <summary>Reserves an explicit address (--ip); it must be a host address of the subnet and not in use.</summary>
    public IPAddress Allocate(IPAddress address)
    {
        if (!Subnet.Contains(address)) throw BerthException.Invalid($"address {address} is outside subnet {Subnet}");
        var value = Subnet.ToValue(address);
        if (value == Subnet.NetworkValue || value == Subnet.BroadcastValue)
            throw BerthException.Invalid($"address {address} is the network or broadcast address of subnet {Subnet}");
        if (address.Equals(Gateway)) throw BerthException.Conflict($"address {address} is the gateway of subnet {Subnet}");
        if (!_allocated.Add(value)) throw BerthException.Conflict($"address {address} is already in use in subnet {Subnet}");
        return address;
    }

    /// <summary>Returns an address to the pool; false when it was not allocated.</summary>
    public bool Release(IPAddress address) => Subnet.Contains(address) && _allocated.Remove(Subnet.ToValue(address));

    public bool IsAllocated(IPAddress address) => Subnet.Contains(address) && _allocated.Contains(Subnet.ToValue(address));
}
