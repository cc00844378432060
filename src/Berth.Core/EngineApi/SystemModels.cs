using System.Text.Json.Serialization;

namespace Berth.Core.EngineApi;

/// <summary>GET /version: the daemon's version and its components.</summary>
public sealed class SystemVersion
{
    public SystemVersionPlatform? Platform { get; set; }
    public List<SystemVersionComponent>? Components { get; set; }
    public string Version { get; set; } = "";
    public string ApiVersion { get; set; } = "";
    public string? MinAPIVersion { get; set; }
    public string? GitCommit { get; set; }
    public string? GoVersion { get; set; }
    public string Os { get; set; } = "";
    public string Arch { get; set; } = "";
    public string? KernelVersion { get; set; }
    public bool? Experimental { get; set; }
    public string? BuildTime { get; set; }
}

/// <summary>The product name in <see cref="SystemVersion"/>.</summary>
public sealed class SystemVersionPlatform
{
    public string Name { get; set; } = "";
}

/// <summary>One component of the server (Engine, runtime, init) in <see cref="SystemVersion"/>.</summary>
public sealed class SystemVersionComponent
{
    public string Name { get; set; } = "";
    public string Version { get; set; } = "";
    public Dictionary<string, string>? Details { get; set; }
}

/// <summary>GET /info: what `docker info` prints about the server.</summary>
public sealed class SystemInfo
{
    public string ID { get; set; } = "";
    public int Containers { get; set; }
    public int ContainersRunning { get; set; }
    public int ContainersPaused { get; set; }
    public int ContainersStopped { get; set; }
    public int Images { get; set; }
    public string Driver { get; set; } = "";
    public List<List<string>>? DriverStatus { get; set; }
    public string DockerRootDir { get; set; } = "";
    public PluginsInfo? Plugins { get; set; }
    public bool MemoryLimit { get; set; }
    public bool SwapLimit { get; set; }
    public bool KernelMemoryTCP { get; set; }
    public bool CpuCfsPeriod { get; set; }
    public bool CpuCfsQuota { get; set; }
    public bool CPUShares { get; set; }
    public bool CPUSet { get; set; }
    public bool PidsLimit { get; set; }
    public bool OomKillDisable { get; set; }
    public bool IPv4Forwarding { get; set; }
    public bool Debug { get; set; }
    public int NFd { get; set; }
    public int NGoroutines { get; set; }
    public string? SystemTime { get; set; }
    public string LoggingDriver { get; set; } = "";
    public string CgroupDriver { get; set; } = "";
    public string CgroupVersion { get; set; } = "";
    public int NEventsListener { get; set; }
    public string KernelVersion { get; set; } = "";
    public string OperatingSystem { get; set; } = "";
    public string OSVersion { get; set; } = "";
    public string OSType { get; set; } = "";
    public string Architecture { get; set; } = "";
    public int NCPU { get; set; }
    public long MemTotal { get; set; }
    public string? IndexServerAddress { get; set; }
    public RegistryServiceConfig? RegistryConfig { get; set; }
    public string? HttpProxy { get; set; }
    public string? HttpsProxy { get; set; }
    public string? NoProxy { get; set; }
    public string Name { get; set; } = "";
    public List<string>? Labels { get; set; }
    public bool ExperimentalBuild { get; set; }
    public string ServerVersion { get; set; } = "";
    public Dictionary<string, RuntimeInfo>? Runtimes { get; set; }
    public string? DefaultRuntime { get; set; }
    public SwarmInfo? Swarm { get; set; }
    public bool LiveRestoreEnabled { get; set; }
    public string? Isolation { get; set; }
    public string? InitBinary { get; set; }
    public Commit? ContainerdCommit { get; set; }
    public Commit? RuncCommit { get; set; }
    public Commit? InitCommit { get; set; }
    public List<string>? SecurityOptions { get; set; }
    public string? ProductLicense { get; set; }
    public List<string>? Warnings { get; set; }
    public List<string>? CDISpecDirs { get; set; }
}

/// <summary>Plugins available per kind, in <see cref="SystemInfo"/>.</summary>
public sealed class PluginsInfo
{
    public List<string>? Volume { get; set; }
    public List<string>? Network { get; set; }
    public List<string>? Authorization { get; set; }
    public List<string>? Log { get; set; }
}

/// <summary>Registry settings in <see cref="SystemInfo"/>.</summary>
public sealed class RegistryServiceConfig
{
    public List<string>? InsecureRegistryCIDRs { get; set; }
    public Dictionary<string, IndexInfo>? IndexConfigs { get; set; }
    public List<string>? Mirrors { get; set; }
}

/// <summary>One registry index in <see cref="RegistryServiceConfig"/>.</summary>
public sealed class IndexInfo
{
    public string Name { get; set; } = "";
    public List<string>? Mirrors { get; set; }
    public bool Secure { get; set; }
    public bool Official { get; set; }
}

/// <summary>An OCI runtime known to the daemon.</summary>
public sealed class RuntimeInfo
{
    [JsonPropertyName("path")] public string Path { get; set; } = "";
    [JsonPropertyName("runtimeArgs")] public List<string>? RuntimeArgs { get; set; }
}

/// <summary>A component's commit ID (containerd, runc, init) in <see cref="SystemInfo"/>.</summary>
public sealed class Commit
{
    public string ID { get; set; } = "";
}

/// <summary>Swarm state in <see cref="SystemInfo"/> (Berth is never in a swarm: "inactive").</summary>
public sealed class SwarmInfo
{
    public string NodeID { get; set; } = "";
    public string NodeAddr { get; set; } = "";
    public string LocalNodeState { get; set; } = "inactive";
    public bool ControlAvailable { get; set; }
    public string Error { get; set; } = "";
}

/// <summary>GET /system/df.</summary>
public sealed class SystemDataUsageResponse
{
    public long LayersSize { get; set; }
    public List<ImageSummary>? Images { get; set; }
    public List<ContainerSummary>? Containers { get; set; }
    public List<Volume>? Volumes { get; set; }
    public List<BuildCacheRecord>? BuildCache { get; set; }
}

/// <summary>A build cache record of GET /system/df.</summary>
public sealed class BuildCacheRecord
{
    public string ID { get; set; } = "";
    public List<string>? Parents { get; set; }
    public string Type { get; set; } = "regular";
    public string Description { get; set; } = "";
    public bool InUse { get; set; }
    public bool Shared { get; set; }
    public long Size { get; set; }
    public string? CreatedAt { get; set; }
    public string? LastUsedAt { get; set; }
    public long UsageCount { get; set; }
}

/// <summary>POST /build/prune response.</summary>
public sealed class BuildCachePruneResponse
{
    public List<string>? CachesDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}
