namespace Berth.Engine.Networks;

/// <summary>The persisted description of one network (a row of kind "network" in the metadata DB).</summary>
public sealed class NetworkRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    /// <summary>bridge, host or null (Docker's driver names).</summary>
    public string Driver { get; set; } = "bridge";
    public DateTimeOffset Created { get; set; }
    public string? Subnet { get; set; }
    public string? Gateway { get; set; }
    public string? IpRange { get; set; }
    /// <summary>The subnet was given by the user (--subnet): only then may containers ask for an address (--ip).</summary>
    public bool UserSubnet { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public string BridgeName { get; set; } = "";
    public int Mtu { get; set; } = 1500;
    public Dictionary<string, string> Options { get; set; } = new();
    public Dictionary<string, string> Labels { get; set; } = new();

    /// <summary>The three networks every daemon has; they cannot be created or removed by users.</summary>
    public bool Predefined => Name is "bridge" or "host" or "none";

    /// <summary>A network with a bridge, addresses and a DNS listener.</summary>
    public bool IsBridge => Driver == "bridge";
}

/// <summary>Daemon-wide network settings (dockerd's --bridge, --bip, --default-address-pool, --dns), plus the nftables table name.</summary>
public sealed record NetworkConfig(
    string DefaultBridge = "berth0",
    string DefaultBridgeCidr = "10.203.0.1/16",
    string AddressPool = "10.204.0.0/14",
    int PoolPrefixLength = 24,
    string FirewallTable = "berth",
    IReadOnlyList<string>? Dns = null);
