namespace Berth.Core.EngineApi;

/// <summary>A mount requested at create time (--mount); Type is bind, volume, image, tmpfs, npipe or cluster.</summary>
public sealed class Mount
{
    public string Target { get; set; } = "";
    public string? Source { get; set; }
    public string Type { get; set; } = "";
    public bool ReadOnly { get; set; }
    public string? Consistency { get; set; }
    public BindOptions? BindOptions { get; set; }
    public VolumeOptions? VolumeOptions { get; set; }
    public ImageMountOptions? ImageOptions { get; set; }
    public TmpfsOptions? TmpfsOptions { get; set; }
}

/// <summary>Options of a bind mount.</summary>
public sealed class BindOptions
{
    public string? Propagation { get; set; }
    public bool? NonRecursive { get; set; }
    public bool? CreateMountpoint { get; set; }
    public bool? ReadOnlyNonRecursive { get; set; }
    public bool? ReadOnlyForceRecursive { get; set; }
}

/// <summary>Options of a volume mount.</summary>
public sealed class VolumeOptions
{
    public bool? NoCopy { get; set; }
    public Dictionary<string, string>? Labels { get; set; }
    public VolumeDriverConfig? DriverConfig { get; set; }
    public string? Subpath { get; set; }
}

/// <summary>The driver of a volume mount and its options.</summary>
public sealed class VolumeDriverConfig
{
    public string? Name { get; set; }
    public Dictionary<string, string>? Options { get; set; }
}

/// <summary>Options of an image mount.</summary>
public sealed class ImageMountOptions
{
    public string? Subpath { get; set; }
}

/// <summary>Options of a tmpfs mount; Options are [["noexec"], ["uid","1000"]] pairs.</summary>
public sealed class TmpfsOptions
{
    public long? SizeBytes { get; set; }
    public int? Mode { get; set; }
    public List<List<string>>? Options { get; set; }
}

/// <summary>A mount as container inspect and list report it.</summary>
public sealed class MountPoint
{
    public string Type { get; set; } = "";
    public string? Name { get; set; }
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public string? Driver { get; set; }
    public string Mode { get; set; } = "";
    public bool RW { get; set; }
    public string Propagation { get; set; } = "";
}
