using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Volumes;
using Berth.Runtime.Spec;
using Berth.Storage;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>
    /// Makes what the planned mounts need: host directories for -v binds, volumes (anonymous ones, and named ones
    /// on first use). Every volume created here is added to <paramref name="created"/> so a failed create removes it.
    /// Call with <see cref="VolumeService.Sync"/> held.
    /// </summary>
    private List<ContainerMount> RealizeMounts(List<PlannedMount> plan, List<string> created)
    {
        var result = new List<ContainerMount>();
        foreach (var p in plan)
        {
            var m = p.Mount;
            switch (m.Type)
            {
                case "bind":
                    if (!Path.Exists(m.Source))
                    {
                        if (!p.CreateSource) throw BerthException.Invalid($"invalid mount config for type \"bind\": bind source path does not exist: {m.Source}");
                        Directory.CreateDirectory(m.Source);
                    }
                    // The host's symlinks are followed here, once, and inspect shows where the bind really comes from.
                    m.Source = ScopedPath.Resolve("/", m.Source, followFinal: true);
                    break;
                case "volume" when m.Anonymous && m.Name == null:
                    var labels = new Dictionary<string, string>(p.VolumeLabels ?? new()) { [VolumeRecord.AnonymousLabel] = "" };
                    m.Name = Volumes.Create(null, m.Driver, p.DriverOptions, labels).Name;
                    created.Add(m.Name);
                    m.Source = Volumes.DataDir(m.Name);
                    break;
                case "volume":
                    if (Volumes.TryGet(m.Name!) == null)
                    {
                        Volumes.Create(m.Name, m.Driver, p.DriverOptions, p.VolumeLabels);
                        created.Add(m.Name!);
                    }
                    m.Source = Volumes.DataDir(m.Name!);
                    break;
            }
            result.Add(m);
        }
        return result;
    }

    /// <summary>
    /// Docker's copy-up: an empty volume mounted over a directory that has content in the image gets that content,
    /// with owners and modes, unless nocopy was asked for.
    /// </summary>
    private void CopyUpVolumes(ContainerRecord rec)
    {
        var candidates = rec.Mounts.Where(m => m.Type == "volume" && !m.NoCopy && m.Subpath == null).ToList();
        if (candidates.Count == 0) return;
        var rw = _snapshots.GetRw(rec.RwLayerKey);
        // Most volumes sit on paths the image does not have: decide that from the layers without mounting anything.
        candidates = candidates.Where(m => rw.LowerDirs.Any(l => Path.Exists(Path.Combine(l, m.Destination.TrimStart('/'))))).ToList();
        if (candidates.Count == 0) return;
        var empty = candidates.Where(m => !Directory.EnumerateFileSystemEntries(Volumes.Prepare(m.Name!)).Any()).ToList();
        if (empty.Count == 0) return;
        WithOverlay(rec, root =>
        {
            foreach (var m in empty)
            {
                string source = ScopedPath.Resolve(root, m.Destination, followFinal: true);
                if (Directory.Exists(source)) TreeCopy.CopyContents(source, Volumes.DataDir(m.Name!));
            }
            return 0;
        });
    }

    /// <summary>The runtime's mounts for a container about to start: volumes are prepared (and mounted, with options) here.</summary>
    private List<MountSpec> RuntimeMounts(ContainerRecord rec)
    {
        var specs = new List<MountSpec>();
        foreach (var m in rec.Mounts)
        {
            string access = m.RW ? "rw" : "ro";
            switch (m.Type)
            {
                case "bind":
                    specs.Add(new MountSpec { Destination = m.Destination, Type = "bind", Source = m.Source, Options = { m.Recursive ? "rbind" : "bind", access, m.Propagation } });
                    break;
                case "volume":
                    string source = Volumes.Prepare(m.Name!);
                    if (m.Subpath != null)
                    {
                        source = ScopedPath.Resolve(source, m.Subpath, followFinal: true);
                        if (!Path.Exists(source)) throw BerthException.Invalid($"cannot mount volume {m.Name} at {m.Destination}: subpath \"{m.Subpath}\" does not exist in the volume");
                    }
                    specs.Add(new MountSpec { Destination = m.Destination, Type = "bind", Source = source, Options = { "rbind", access, "rprivate" } });
                    break;
                case "tmpfs":
                    specs.Add(new MountSpec { Destination = m.Destination, Type = "tmpfs", Source = "tmpfs", Options = m.TmpfsOptions ?? new() });
                    break;
            }
        }
        return specs;
    }

    /// <summary>Mounts as inspect and the container list show them; tmpfs from --tmpfs stays in HostConfig.Tmpfs only, as in Docker.</summary>
    private static List<MountPoint> MountPoints(ContainerRecord rec) =>
        rec.Mounts.Where(m => m.Type != "tmpfs" || !(rec.HostConfig.Tmpfs?.ContainsKey(m.Destination) ?? false) || (rec.HostConfig.Mounts?.Any(x => x.Target == m.Destination) ?? false))
            .Select(m => new MountPoint
            {
                Type = m.Type,
                Name = m.Name,
                Source = m.Type == "tmpfs" ? "" : m.Source,
                Destination = m.Destination,
                Driver = m.Type == "volume" ? m.Driver ?? "local" : null,
                Mode = m.Mode,
                RW = m.RW,
                Propagation = m.Type == "bind" ? m.Propagation : "",
            }).ToList();

    /// <summary>IDs of the containers whose mounts name <paramref name="volume"/>.</summary>
    public IReadOnlyList<string> ContainersUsing(string volume) =>
        Store.List().Where(c => c.Mounts.Any(m => m.Type == "volume" && m.Name == volume)).Select(c => c.Id).ToList();

    /// <summary>Removes the given volumes, skipping any that another container still uses; failures are not fatal.</summary>
    private void RemoveVolumesQuietly(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            try { Volumes.Remove(name, force: true); }
            catch (BerthException) { /* shared with another container (volumes-from) or busy: kept */ }
        }
    }
}
