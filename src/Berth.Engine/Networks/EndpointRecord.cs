namespace Berth.Engine.Networks;

/// <summary>A container's membership of one network: what was asked at create, and (while running) what it got.</summary>
public sealed class EndpointRecord
{
    public string NetworkId { get; set; } = "";
    public List<string> Aliases { get; set; } = new();
    /// <summary>--ip: the address asked for; null for the next free one.</summary>
    public string? RequestedIp { get; set; }
    /// <summary>--mac-address: the MAC asked for; null for one derived from the address.</summary>
    public string? RequestedMac { get; set; }

    // Set while the container runs.
    public string EndpointId { get; set; } = "";
    public string? IpAddress { get; set; }
    public int PrefixLength { get; set; }
    public string? Gateway { get; set; }
    public string? MacAddress { get; set; }
    public string? HostVeth { get; set; }
}

/// <summary>A port published while the container runs; HostIp is empty for every address.</summary>
public sealed class PublishedPort
{
    public string Protocol { get; set; } = "tcp";
    public int ContainerPort { get; set; }
    public string HostIp { get; set; } = "";
    public int HostPort { get; set; }
}
