using System.Text.Json.Serialization;

namespace Berth.Core.EngineApi;

/// <summary>One entry of GET /containers/json (docker ps).</summary>
public sealed class ContainerSummary
{
    public string Id { get; set; } = "";
    public List<string> Names { get; set; } = new();
    public string Image { get; set; } = "";
    public string ImageID { get; set; } = "";
    public OciDescriptor? ImageManifestDescriptor { get; set; }
    public string Command { get; set; } = "";
    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
    public List<ContainerPort> Ports { get; set; } = new();
    public long? SizeRw { get; set; }
    public long? SizeRootFs { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    /// <summary>created, running, paused, restarting, exited, removing or dead.</summary>
    public string State { get; set; } = "";
    /// <summary>Human status: "Up 3 seconds", "Exited (0) 5 seconds ago".</summary>
    public string Status { get; set; } = "";
    public ContainerSummaryHostConfig? HostConfig { get; set; }
    public ContainerSummaryNetworkSettings? NetworkSettings { get; set; }
    public List<MountPoint>? Mounts { get; set; }
}

/// <summary>The HostConfig excerpt in <see cref="ContainerSummary"/>.</summary>
public sealed class ContainerSummaryHostConfig
{
    public string? NetworkMode { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>The NetworkSettings excerpt in <see cref="ContainerSummary"/>.</summary>
public sealed class ContainerSummaryNetworkSettings
{
    public Dictionary<string, EndpointSettings>? Networks { get; set; }
}

/// <summary>A port of a container in <see cref="ContainerSummary"/>.</summary>
public sealed class ContainerPort
{
    public string? IP { get; set; }
    public int PrivatePort { get; set; }
    public int? PublicPort { get; set; }
    public string Type { get; set; } = "tcp";
}

/// <summary>GET /containers/{id}/json.</summary>
public sealed class ContainerInspectResponse
{
    public string Id { get; set; } = "";
    /// <summary>RFC 3339 with nanoseconds.</summary>
    public string? Created { get; set; }
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = new();
    public ContainerState? State { get; set; }
    public string Image { get; set; } = "";
    public string ResolvConfPath { get; set; } = "";
    public string HostnamePath { get; set; } = "";
    public string HostsPath { get; set; } = "";
    public string? LogPath { get; set; }
    /// <summary>The name with its leading slash ("/web").</summary>
    public string Name { get; set; } = "";
    public int RestartCount { get; set; }
    public string Driver { get; set; } = "";
    public string Platform { get; set; } = "linux";
    public OciDescriptor? ImageManifestDescriptor { get; set; }
    public string MountLabel { get; set; } = "";
    public string ProcessLabel { get; set; } = "";
    public string AppArmorProfile { get; set; } = "";
    public List<string>? ExecIDs { get; set; }
    public HostConfig? HostConfig { get; set; }
    public DriverData? GraphDriver { get; set; }
    public long? SizeRw { get; set; }
    public long? SizeRootFs { get; set; }
    public List<MountPoint> Mounts { get; set; } = new();
    public ContainerConfig? Config { get; set; }
    public NetworkSettings? NetworkSettings { get; set; }
}

/// <summary>The run state of a container in inspect.</summary>
public sealed class ContainerState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; set; } = "";
    public bool Running { get; set; }
    public bool Paused { get; set; }
    public bool Restarting { get; set; }
    public bool OOMKilled { get; set; }
    public bool Dead { get; set; }
    public int Pid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public string StartedAt { get; set; } = "0001-01-01T00:00:00Z";
    public string FinishedAt { get; set; } = "0001-01-01T00:00:00Z";
    public ContainerHealth? Health { get; set; }
}

/// <summary>Healthcheck state: Status is none, starting, healthy or unhealthy.</summary>
public sealed class ContainerHealth
{
    public string Status { get; set; } = "";
    public int FailingStreak { get; set; }
    public List<HealthcheckResult>? Log { get; set; }
}

/// <summary>One healthcheck probe result.</summary>
public sealed class HealthcheckResult
{
    public string Start { get; set; } = "";
    public string End { get; set; } = "";
    public int ExitCode { get; set; }
    public string Output { get; set; } = "";
}

/// <summary>POST /containers/{id}/wait response.</summary>
public sealed class ContainerWaitResponse
{
    public long StatusCode { get; set; }
    public ContainerWaitExitError? Error { get; set; }
}

/// <summary>Why waiting failed, in <see cref="ContainerWaitResponse"/>.</summary>
public sealed class ContainerWaitExitError
{
    public string? Message { get; set; }
}

/// <summary>GET /containers/{id}/top: ps output as titles and rows.</summary>
public sealed class ContainerTopResponse
{
    public List<string> Titles { get; set; } = new();
    public List<List<string>> Processes { get; set; } = new();
}

/// <summary>One entry of GET /containers/{id}/changes; Kind 0 = modified, 1 = added, 2 = deleted.</summary>
public sealed class ContainerChange
{
    public string Path { get; set; } = "";
    public int Kind { get; set; }
}

/// <summary>POST /containers/prune response.</summary>
public sealed class ContainerPruneResponse
{
    public List<string>? ContainersDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}

/// <summary>The base64 JSON in the X-Docker-Container-Path-Stat header of archive HEAD/GET.</summary>
public sealed class ContainerPathStat
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("size")] public long Size { get; set; }
    /// <summary>A Go os.FileMode: permission bits plus type bits (1u &lt;&lt; 31 = directory, 1u &lt;&lt; 27 = symlink).</summary>
    [JsonPropertyName("mode")] public uint Mode { get; set; }
    /// <summary>RFC 3339.</summary>
    [JsonPropertyName("mtime")] public string Mtime { get; set; } = "";
    [JsonPropertyName("linkTarget")] public string LinkTarget { get; set; } = "";
}
