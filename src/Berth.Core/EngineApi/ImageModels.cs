namespace Berth.Core.EngineApi;

/// <summary>One entry of GET /images/json.</summary>
public sealed class ImageSummary
{
    public string Id { get; set; } = "";
    public string ParentId { get; set; } = "";
    public List<string> RepoTags { get; set; } = new();
    public List<string> RepoDigests { get; set; } = new();
    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
    public long Size { get; set; }
    public long SharedSize { get; set; } = -1;
    public Dictionary<string, string>? Labels { get; set; }
    public int Containers { get; set; } = -1;
    public OciDescriptor? Descriptor { get; set; }
}

/// <summary>GET /images/{name}/json.</summary>
public sealed class ImageInspect
{
    public string Id { get; set; } = "";
    public OciDescriptor? Descriptor { get; set; }
    public List<string> RepoTags { get; set; } = new();
    public List<string> RepoDigests { get; set; } = new();
    public string Parent { get; set; } = "";
    public string Comment { get; set; } = "";
    /// <summary>RFC 3339 with nanoseconds; null when the image config has no date.</summary>
    public string? Created { get; set; }
    public string DockerVersion { get; set; } = "";
    public string Author { get; set; } = "";
    public ImageConfig? Config { get; set; }
    public string Architecture { get; set; } = "";
    public string? Variant { get; set; }
    public string Os { get; set; } = "";
    public string? OsVersion { get; set; }
    public long Size { get; set; }
    public DriverData? GraphDriver { get; set; }
    public ImageRootFs? RootFS { get; set; }
    public ImageMetadata? Metadata { get; set; }
}

/// <summary>The layer diff IDs of an image.</summary>
public sealed class ImageRootFs
{
    public string Type { get; set; } = "layers";
    public List<string>? Layers { get; set; }
}

/// <summary>Local metadata of an image.</summary>
public sealed class ImageMetadata
{
    /// <summary>RFC 3339, or null when never tagged.</summary>
    public string? LastTagTime { get; set; }
}

/// <summary>One entry of GET /images/{name}/history, newest first.</summary>
public sealed class HistoryResponseItem
{
    /// <summary>The image ID for the top layer of an image, "&lt;missing&gt;" otherwise.</summary>
    public string Id { get; set; } = "";
    /// <summary>Unix seconds.</summary>
    public long Created { get; set; }
    public string CreatedBy { get; set; } = "";
    public List<string>? Tags { get; set; }
    public long Size { get; set; }
    public string Comment { get; set; } = "";
}

/// <summary>One entry of DELETE /images/{name}: either Untagged or Deleted is set.</summary>
public sealed class ImageDeleteResponseItem
{
    public string? Untagged { get; set; }
    public string? Deleted { get; set; }
}

/// <summary>POST /images/prune response.</summary>
public sealed class ImagePruneResponse
{
    public List<ImageDeleteResponseItem>? ImagesDeleted { get; set; }
    public long SpaceReclaimed { get; set; }
}
