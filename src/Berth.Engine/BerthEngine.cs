using Berth.Core;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Engine.Images;
using Berth.Engine.Networks;
using Berth.Engine.Volumes;
using Berth.Images;
using Berth.Runtime.Cgroups;
using Berth.Storage;

namespace Berth.Engine;

/// <summary>The daemon's composition root: stores, services and the event bus for one data root.</summary>
public sealed class BerthEngine : IDisposable
{
    private readonly MetadataDb _db;

    /// <param name="cgroupParent">Containers' cgroups go below it (dockerd's --cgroup-parent); relative, no "..".</param>
    public BerthEngine(BerthPaths paths, string berthExecutable, string cgroupParent = "berth", NetworkConfig? network = null)
    {
        if (cgroupParent.Length == 0 || cgroupParent.StartsWith('/') || cgroupParent.Split('/').Any(p => p is "" or "." or ".."))
            throw BerthException.Invalid($"invalid cgroup parent \"{cgroupParent}\": use a relative path such as berth or berth/test");
        Paths = paths;
        BerthExecutable = berthExecutable;
        Directory.CreateDirectory(paths.Root);
        Directory.CreateDirectory(paths.RunDir);
        Directory.CreateDirectory(paths.TmpDir);
        _db = new MetadataDb(paths.MetadataDb);
        var content = new ContentStore(paths.ContentDir);
        var snapshots = new SnapshotStore(paths.SnapshotsDir);
        snapshots.RemoveStaleTempInBackground();
        var imageStore = new ImageStore(content, snapshots, _db);
        var cgroups = CgroupDriver.Detect();
        CgroupVersion = cgroups.Version;
        Events = new EventBus();
        Volumes = new VolumeService(_db, paths.VolumesDir, Events);
        Networks = new NetworkService(_db, Events, network ?? new NetworkConfig(), Path.Combine(paths.RunDir, "netns"));
        Containers = new ContainerService(paths, new ContainerStore(_db), imageStore, snapshots, Events, cgroups, berthExecutable, cgroupParent, Volumes, Networks);
        Networks.Containers = Containers.Store.List;
        Volumes.UsersOf = Containers.ContainersUsing;
        Images = new ImageService(imageStore, content, snapshots, Events, Containers);
        Restarts = new RestartSupervisor(Containers);
        Builder = new Build.BuildService(paths, imageStore, Images, Containers, _db);
        DaemonId = LoadDaemonId();
    }

    public BerthPaths Paths { get; }
    public string BerthExecutable { get; }
    public string DaemonId { get; }
    public int CgroupVersion { get; }
    public EventBus Events { get; }
    public ContainerService Containers { get; }
    public ImageService Images { get; }
    public VolumeService Volumes { get; }
    public NetworkService Networks { get; }
    public RestartSupervisor Restarts { get; }
    public Build.BuildService Builder { get; }

    /// <summary>Re-adopts running containers and applies restart policies; call once after the API is listening.</summary>
    public void Recover()
    {
        Containers.Reconcile();
        Restarts.StartOnBoot();
        Containers.Standby.Prepare();
    }

    private string LoadDaemonId()
    {
        string path = Path.Combine(Paths.Root, "engine-id");
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        string id = Guid.NewGuid().ToString();
        File.WriteAllText(path, id);
        return id;
    }

    public void Dispose()
    {
        Containers.Standby.Dispose();
        Networks.Dispose();
        _db.Dispose();
    }
}
