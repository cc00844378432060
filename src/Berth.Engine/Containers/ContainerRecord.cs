using Berth.Core.EngineApi;

namespace Berth.Engine.Containers;

/// <summary>The persisted description and state of one container (a row of kind "container" in the metadata DB).</summary>
public sealed class ContainerRecord
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset Created { get; set; }
    /// <summary>The image ID (sha256:…) the container was created from.</summary>
    public string ImageId { get; set; } = "";
    /// <summary>The image as the user named it (Config.Image).</summary>
    public string ImageName { get; set; } = "";
    public string Path { get; set; } = "";
    public List<string> Args { get; set; } = new();
    public ContainerConfig Config { get; set; } = new();
    public HostConfig HostConfig { get; set; } = new();
    public ContainerRunState State { get; set; } = new();
    public int RestartCount { get; set; }
    /// <summary>Set when the user stopped the container, so unless-stopped does not bring it back.</summary>
    public bool ManuallyStopped { get; set; }
    public bool HasBeenStarted { get; set; }
    public string LogPath { get; set; } = "";
    public string HostnamePath { get; set; } = "";
    public string HostsPath { get; set; } = "";
    public string ResolvConfPath { get; set; } = "";
    /// <summary>Key of the writable layer in the snapshot store.</summary>
    public string RwLayerKey { get; set; } = "";
    public List<string> ExecIds { get; set; } = new();
    /// <summary>Binds, volumes and tmpfs mounts, resolved at create time; sorted so parents are mounted before children.</summary>
    public List<ContainerMount> Mounts { get; set; } = new();
    /// <summary>The networks the container belongs to, by network name (bridge and user-defined networks only).</summary>
    public Dictionary<string, Networks.EndpointRecord> Networks { get; set; } = new();
    /// <summary>Ports published while the container runs (host ports chosen at start).</summary>
    public List<Networks.PublishedPort> Ports { get; set; } = new();
}

/// <summary>One resolved mount of a container: what the runtime binds and what inspect shows.</summary>
public sealed class ContainerMount
{
    /// <summary>bind, volume or tmpfs.</summary>
    public string Type { get; set; } = "";
    /// <summary>The volume's name (volume mounts only).</summary>
    public string? Name { get; set; }
    /// <summary>The host path: a bind's source with symlinks resolved; empty for volumes (found at start) and tmpfs.</summary>
    public string Source { get; set; } = "";
    public string Destination { get; set; } = "";
    public string? Driver { get; set; }
    /// <summary>The mode as the user wrote it (-v's third field), shown in inspect.</summary>
    public string Mode { get; set; } = "";
    public bool RW { get; set; } = true;
    /// <summary>rprivate, rshared, …; binds only.</summary>
    public string Propagation { get; set; } = "";
    /// <summary>The volume was created for this container: rm -v and --rm remove it.</summary>
    public bool Anonymous { get; set; }
    public bool NoCopy { get; set; }
    /// <summary>A directory inside the volume to mount instead of its root.</summary>
    public string? Subpath { get; set; }
    /// <summary>tmpfs data options (size=…,mode=…) and flags.</summary>
    public List<string>? TmpfsOptions { get; set; }
    /// <summary>Binds only: false for a non-recursive bind.</summary>
    public bool Recursive { get; set; } = true;
}

/// <summary>The lifecycle state of a container as inspect reports it.</summary>
public sealed class ContainerRunState
{
    /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
    public string Status { get; set; } = "created";
    public int Pid { get; set; }
    public int MonitorPid { get; set; }
    public int ExitCode { get; set; }
    public string Error { get; set; } = "";
    public bool OOMKilled { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    public bool Running => Status is "running" or "paused" or "restarting";
}
