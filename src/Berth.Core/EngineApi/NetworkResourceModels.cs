namespace Berth.Core.EngineApi;

/// <summary>A network (GET /networks/{id}, entries of GET /networks).</summary>
public sealed class NetworkResource
{
    public string Name { get; set; } = "";
    public string Id { get; set; } = "";
    /// <summary>RFC 3339 with nanoseconds.</summary>
    public string Created { get; set; } = "";
    public string Scope { get; set; } = "local";
    public string Driver { get; set; } = "bridge";
    public bool EnableIPv4 { get; set; } = true;
    public bool EnableIPv6 { get; set; }
    public NetworkIpam? IPAM { get; set; }
    public bool Internal { get; set; }
    public bool Attachable { get; set; }
    public bool Ingress { get; set; }
    public NetworkConfigReference? ConfigFrom { get; set; } = new();
    public bool ConfigOnly { get; set; }
    public Dictionary<string, NetworkContainer>? Containers { get; set; } = new();
    public Dictionary<string, string>? Options { get; set; } = new();
    public Dictionary<string, string>? Labels { get; set; } = new();
}

/// <summary>IP address management of a network.</summary>
public sealed class NetworkIpam
{
    public string Driver { get; set; } = "default";
    public List<NetworkIpamConfig>? Config { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}

/// <summary>One subnet of a network.</summary>
public sealed class NetworkIpamConfig
{
    public string? Subnet { get; set; }
    public string? IPRange { get; set; }
    public string? Gateway { get; set; }
    public Dictionary<string, string>? AuxiliaryAddresses { get; set; }
}

/// <summary>The network a config-only network takes its configuration from.</summary>
public sealed class NetworkConfigReference
{
    public string Network { get; set; } = "";
}

/// <summary>A container attached to a network, in <see cref="NetworkResource"/>.</summary>
public sealed class NetworkContainer
{
    public string Name { get; set; } = "";
    public string EndpointID { get; set; } = "";
    public string MacAddress { get; set; } = "";
    /// <summary>CIDR, e.g. "172.18.0.2/16".</summary>
    public string IPv4Address { get; set; } = "";
    public string IPv6Address { get; set; } = "";
}

/// <summary>POST /networks/create body.</summary>
public sealed class NetworkCreateRequest
{
    public string Name { get; set; } = "";
    public string? Driver { get; set; }
    public string? Scope { get; set; }
    public bool? Internal { get; set; }
    public bool? Attachable { get; set; }
    public bool? Ingress { get; set; }
    public bool? ConfigOnly { get; set; }
    public NetworkConfigReference? ConfigFrom { get; set; }
    public NetworkIpam? IPAM { get; set; }
    public bool? EnableIPv4 { get; set; }
    public bool? EnableIPv6 { get; set; }
    public Dictionary<string, string>? Options { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>POST /networks/create response.</summary>
public sealed class NetworkCreateResponse
{
    public string Id { get; set; } = "";
    public string Warning { get; set; } = "";
}

/// <summary>POST /networks/{id}/connect body.</summary>
public sealed class NetworkConnectRequest
{
    public string Container { get; set; } = "";
    public EndpointSettings? EndpointConfig { get; set; }
}

/// <summary>POST /networks/{id}/disconnect body.</summary>
public sealed class NetworkDisconnectRequest
{
    public string Container { get; set; } = "";
    public bool Force { get; set; }
}

/// <summary>POST /networks/prune response.</summary>
public sealed class NetworkPruneResponse
{
    public List<string>? NetworksDeleted { get; set; }
}
