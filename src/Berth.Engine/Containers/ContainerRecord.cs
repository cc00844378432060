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
