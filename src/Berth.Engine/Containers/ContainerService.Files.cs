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
        var rw = _snapshots.GetRw(rec.RwLayerKey);
        string mountDir = Path.Combine(_paths.TmpDir, "mnt-" + rec.Id[..12] + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(mountDir);
        try
        {
            SnapshotStore.Mount(rw, mountDir);
            try
            {
                return body(mountDir);
            }
            finally
            {
                SnapshotStore.Unmount(mountDir);
            }
        }
        finally
        {
            try { Directory.Delete(mountDir); } catch (IOException) { /* still busy: left for the next daemon start */ }
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
