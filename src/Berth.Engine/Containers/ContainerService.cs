using Berth.Core;
using Berth.Engine.Events;
using Berth.Engine.Networks;
using Berth.Engine.Volumes;
using Berth.Images;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Monitor;
using Berth.Storage;

namespace Berth.Engine.Containers;

/// <summary>The container lifecycle behind the Engine API: create, start, stop, remove, and what a running container offers.</summary>
public sealed partial class ContainerService
{
    private readonly BerthPaths _paths;
    private readonly ImageStore _images;
    private readonly SnapshotStore _snapshots;
    private readonly EventBus _events;
    private readonly ICgroupDriver _cgroups;
    private readonly string _berthExecutable;
    private readonly string _cgroupParent;
    private readonly NetworkService _networks;

    public ContainerService(BerthPaths paths, ContainerStore store, ImageStore images, SnapshotStore snapshots, EventBus events, ICgroupDriver cgroups,
        string berthExecutable, string cgroupParent, VolumeService volumes, NetworkService networks)
    {
        _networks = networks;
        Volumes = volumes;
        _cgroupParent = cgroupParent;
        _paths = paths;
        Store = store;
        _images = images;
        _snapshots = snapshots;
        _events = events;
        _cgroups = cgroups;
        _berthExecutable = berthExecutable;
        Standby = new MonitorStandby(berthExecutable);
        Directory.CreateDirectory(paths.ContainersDir);
        Directory.CreateDirectory(paths.RunContainersDir);
    }

    public ContainerStore Store { get; }

    /// <summary>The monitor started ahead for the next container start (prepared by the daemon once it recovered).</summary>
    public MonitorStandby Standby { get; }
    public VolumeService Volumes { get; }

    /// <summary>The container's cgroup below each controller root: <c>&lt;cgroup parent&gt;/&lt;id&gt;</c>.</summary>
    public string CgroupPath(string id) => _cgroupParent + "/" + id;

    /// <summary>Container's directory under the data root (config files, logs).</summary>
    public string ContainerDir(string id) => Path.Combine(_paths.ContainersDir, id);

    /// <summary>
    /// Container's runtime state dir under the run dir (spec, monitor socket, exit record). Named by the first
    /// 24 hex digits of the ID (96 bits) so the monitor socket path stays within the 107 bytes unix sockets allow.
    /// </summary>
    public string StateDir(string id) => Path.Combine(_paths.RunContainersDir, id[..24]);

    private void Emit(ContainerRecord rec, string action, Dictionary<string, string>? extra = null)
    {
        var attrs = new Dictionary<string, string> { ["name"] = rec.Name, ["image"] = rec.ImageName };
        foreach (var (k, v) in rec.Config.Labels ?? new()) attrs[k] = v;
        if (extra != null) foreach (var (k, v) in extra) attrs[k] = v;
        _events.Publish("container", action, rec.Id, attrs);
    }

    /// <summary>True when any container (running or not) was created from this image ID.</summary>
    public bool ImageInUse(string imageId) => Store.List().Any(c => c.ImageId == imageId);
}
