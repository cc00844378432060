using Berth.Core;

namespace Berth.Network.Addressing;

/// <summary>Carves subnets for new networks out of a larger pool, skipping any that overlap subnets in use.</summary>
public sealed class SubnetPool
{
    /// <summary>The default bridge's subnet: clear of Docker's 172.17.0.0/16 and Podman's 10.88.0.0/16.</summary>
    public static readonly Subnet DefaultBridge = Subnet.Parse("10.203.0.0/16");

    /// <summary>The pool user-defined networks come from, /24 each: 10.204.0.0 – 10.207.255.255 (1024 networks).</summary>
    public static readonly SubnetPool UserNetworks = new(Subnet.Parse("10.204.0.0/14"), 24);

    public SubnetPool(Subnet pool, int prefixLength)
    {
        if (prefixLength < pool.PrefixLength || prefixLength > 30)
            throw BerthException.Invalid($"cannot carve /{prefixLength} subnets out of {pool}");
        Pool = pool;
        PrefixLength = prefixLength;
    }

    public Subnet Pool { get; }

    public int PrefixLength { get; }

    /// <summary>The first subnet of the pool overlapping none of <paramref name="inUse"/> (networks and host routes).</summary>
    public Subnet Allocate(IEnumerable<Subnet> inUse)
    {
        var taken = inUse.ToList();
        var step = 1u << (32 - PrefixLength);
        var count = 1L << (PrefixLength - Pool.PrefixLength);
        var candidate = Pool.NetworkValue;
        for (long i = 0; i < count; i++, candidate += step)
        {
            var subnet = Subnet.Create(Subnet.ToAddress(candidate), PrefixLength);
            if (!taken.Any(t => t.Overlaps(subnet))) return subnet;
        }
        throw BerthException.Precondition($"no free /{PrefixLength} subnet left in address pool {Pool}");
    }
}
