namespace Berth.Core.EngineApi;

/// <summary>A volume (GET /volumes/{name}, entries of GET /volumes, POST /volumes/create response).</summary>
public sealed class Volume
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "local";
    public string Mountpoint { get; set; } = "";
    /// <summary>RFC 3339.</summary>
    public string? CreatedAt { get; set; }
    public Dictionary<string, string>? Status { get; set; }
    public Dictionary<string, string>? Labels { get; set; } = new();
    public string Scope { get; set; } = "local";
    public Dictionary<string, string>? Options { get; set; } = new();
    public VolumeUsageData? UsageData { get; set; }
}

/// <summary>Disk usage of a volume (only from GET /system/df); -1 when unknown.</summary>
public sealed class VolumeUsageData
{
    public long Size { get; set; } = -1;
    public long RefCount { get; set; } = -1;
}

/// <summary>POST /volumes/create body.</summary>
public sealed class VolumeCreateOptions
{
    public string? Name { get; set; }
    public string? Driver { get; set; }
    public Dictionary<string, string>? DriverOpts { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
}

/// <summary>GET /volumes response.</summary>
public sealed class VolumeListResponse
{
    public List<Volume> Volumes { get; set; } = new();
    public List<string> Warnings { get; set; } = new();
}

/// <summary>POST /volumes/prune response.</summary>
public sealed class VolumePruneResponse
{
    public List<string>? VolumesDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}
