using Berth.Core;
using Berth.Storage;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Runs <paramref name="body"/> with the container's merged root on the host: the live root of a running container, else a temporary overlay mount.</summary>
    public T WithRootfs<T>(string idOrName, Func<string, T> body)
    {
        var rec = Store.Resolve(idOrName);
        if (rec.State.Running && rec.State.Pid > 0)
            return body($"/proc/{rec.State.Pid}/root");
        return WithOverlay(rec, body, withMounts: true);
    }

    /// <summary>Mounts the container's overlay on a temporary directory (with its binds and volumes when asked), runs <paramref name="body"/>, unmounts.</summary>
    private T WithOverlay<T>(ContainerRecord rec, Func<string, T> body, bool withMounts = false)
    {
        var rw = _snapshots.GetRw(rec.RwLayerKey);
        string mountDir = Path.Combine(_paths.TmpDir, "mnt-" + rec.Id[..12] + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(mountDir);
        try
        {
            SnapshotStore.Mount(rw, mountDir);
            try
            {
                if (withMounts) BindMountsUnder(rec, mountDir);
                return body(mountDir);
            }
            finally
            {
                foreach (var mp in HostMounts.At(mountDir)) SnapshotStore.Unmount(mp);
            }
        }
        finally
        {
            try { Directory.Delete(mountDir); } catch (IOException) { /* still busy: left for the next daemon start */ }
        }
    }

    /// <summary>Binds a stopped container's binds and volumes into its mounted root, so cp reaches them as it would while running.</summary>
    private void BindMountsUnder(ContainerRecord rec, string root)
    {
        foreach (var m in RuntimeMounts(rec).Where(m => m.Type == "bind"))
        {
            string target = ScopedPath.Resolve(root, m.Destination, followFinal: true);
            if (Directory.Exists(m.Source)) Directory.CreateDirectory(target);
            else if (!File.Exists(target)) { Directory.CreateDirectory(Path.GetDirectoryName(target)!); File.WriteAllBytes(target, []); }
            HostMounts.Mount("none", m.Source, m.Options.Contains("ro") ? "rbind,ro" : "rbind", target);
        }
    }

    /// <summary>The container's processes as <c>ps -ef</c> shows them.</summary>
    public Core.EngineApi.ContainerTopResponse Top(string idOrName, string? psArgs)
    {
        var rec = Store.Resolve(idOrName);
        if (!rec.State.Running) throw BerthException.Conflict($"container {rec.Id} is not running");
        if (!string.IsNullOrEmpty(psArgs) && psArgs != "-ef")
            throw BerthException.Invalid($"ps arguments \"{psArgs}\" are not supported; Berth lists processes as ps -ef");
        var pids = _cgroups.Pids(CgroupPath(rec.Id));
        if (pids.Count == 0) pids = [rec.State.Pid];
        return ProcessTable.Read(pids);
    }

    public Core.EngineApi.ContainerStatsResponse Stats(string idOrName, Core.EngineApi.ContainerStatsResponse? previous)
    {
        var rec = Store.Resolve(idOrName);
        return ContainerStatsReader.Read(rec, rec.State.Running ? _cgroups : null, CgroupPath(rec.Id), previous);
    }
}
