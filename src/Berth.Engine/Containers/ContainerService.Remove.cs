using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Removes a container and its writable layer; a running one only with force (SIGKILL first).</summary>
    public void Remove(string idOrName, bool force, bool removeVolumes)
    {
        var rec = Store.Resolve(idOrName);
        var live = Live(rec.Id);
        Task<int>? exited = null;
        lock (live)
        {
            if (rec.State.Status == "removing" && !force)
                throw BerthException.Conflict($"removal of container {rec.Id} is already in progress");
            if (rec.State.Running)
            {
                if (!force)
                    throw BerthException.Conflict($"cannot remove container \"/{rec.Name}\": container is running: stop the container before removing or force remove");
                rec.ManuallyStopped = true;
                exited = live.NextExit;
            }
        }
        if (exited != null)
        {
            Signal(rec, 9);
            if (!exited.Wait(TimeSpan.FromSeconds(30)))
                throw BerthException.Internal($"could not kill running container {rec.Id}, cannot remove");
        }
        lock (live)
        {
            rec.State.Status = "removing";
            Store.Save(rec);
            TryRemoveCgroup(CgroupPath(rec.Id));
            CleanupFiles(rec);
            Store.Remove(rec);
        }
        lock (_liveLock) _live.Remove(rec.Id);
        Emit(rec, "destroy");
        live.Removed.TrySetResult();
        if (removeVolumes) RemoveVolumesQuietly(rec.Mounts.Where(m => m.Anonymous && m.Name != null).Select(m => m.Name!));
    }

    public void Rename(string idOrName, string newName)
    {
        var rec = Store.Resolve(idOrName);
        string name = ContainerNames.Normalize(newName);
        if (name == rec.Name) throw BerthException.Invalid("Renaming a container with the same name as its current name");
        string old = rec.Name;
        Store.Rename(rec, name);
        Emit(rec, "rename", new() { ["oldName"] = "/" + old });
    }

    /// <summary>Removes every stopped container matching the filters (until, label).</summary>
    public ContainerPruneResponse Prune(Dictionary<string, List<string>> filters)
    {
        FilterArgs.Validate(filters, "until", "label", "label!");
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var rec in Store.List())
        {
            if (rec.State.Running || !ContainerFilter.MatchesPrune(rec, filters)) continue;
            long size = RwSize(rec);
            try
            {
                Remove(rec.Id, force: false, removeVolumes: false);
                deleted.Add(rec.Id);
                reclaimed += size;
            }
            catch (BerthException) { /* changed state meanwhile: leave it */ }
        }
        _events.Publish("container", "prune", "", new() { ["reclaimed"] = reclaimed.ToString() });
        return new ContainerPruneResponse { ContainersDeleted = deleted, SpaceReclaimed = reclaimed };
    }

    private Storage.RwLayer? TryGetRw(string key)
    {
        try { return _snapshots.GetRw(key); }
        catch (BerthException) { return null; }
    }

    private long RwSize(ContainerRecord rec)
    {
        try
        {
            var rw = TryGetRw(rec.RwLayerKey);
            return rw == null ? 0 : Storage.SnapshotStore.DiskUsage(rw.UpperDir);
        }
        catch (Exception) { return 0; }
    }
}
