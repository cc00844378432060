using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Volumes;

namespace Berth.Engine.Containers;

/// <summary>A mount decided at create time, with what it takes to make it: a volume to create, a host directory to make.</summary>
public sealed record PlannedMount(ContainerMount Mount, Dictionary<string, string>? VolumeLabels = null, Dictionary<string, string>? DriverOptions = null, bool CreateSource = false);

/// <summary>
/// Turns a create request's Binds, Mounts, Tmpfs, VolumesFrom and the image's VOLUMEs into one list of mounts, with
/// Docker's precedence: --volumes-from first, then anonymous volumes for declared paths, then -v (replacing those),
/// then --mount and --tmpfs; two user mounts on one target are an error. Pure: nothing is created here.
/// </summary>
public static class MountPlanner
{
    private static readonly string[] Propagations = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

    public static List<PlannedMount> Plan(HostConfig hc, IEnumerable<string>? configVolumes, IEnumerable<string>? imageVolumes, Func<string, ContainerRecord> resolveContainer)
    {
        var byTarget = new Dictionary<string, PlannedMount>(StringComparer.Ordinal);
        var userTargets = new HashSet<string>(StringComparer.Ordinal);

        foreach (var spec in hc.VolumesFrom ?? new())
            foreach (var m in FromContainer(spec, resolveContainer))
                byTarget[m.Mount.Destination] = m;
        foreach (var path in (imageVolumes ?? []).Concat(configVolumes ?? []))
        {
            string dest = Destination(path, $"invalid volume specification: '{path}'");
            byTarget.TryAdd(dest, Anonymous(dest));
        }
        foreach (var spec in hc.Binds ?? new())
            AddUser(ParseBind(spec), spec);
        foreach (var mount in hc.Mounts ?? new())
            AddUser(ParseMount(mount), mount.Target);
        foreach (var (path, options) in hc.Tmpfs ?? new())
            AddUser(new PlannedMount(new ContainerMount { Type = "tmpfs", Destination = Destination(path, $"invalid tmpfs mount '{path}'"), TmpfsOptions = TmpfsOptionList(path, options) }), path);

        // Parents before children, so a mount inside another is made on top of it.
        return byTarget.Values.OrderBy(m => m.Mount.Destination.Count(c => c == '/')).ThenBy(m => m.Mount.Destination, StringComparer.Ordinal).ToList();

        void AddUser(PlannedMount m, string what)
        {
            if (!userTargets.Add(m.Mount.Destination))
                throw BerthException.Invalid($"Duplicate mount point: {m.Mount.Destination} (from {VolumeNames.Printable(what)})");
            byTarget[m.Mount.Destination] = m;
        }
    }

    private static PlannedMount Anonymous(string dest) =>
        new(new ContainerMount { Type = "volume", Destination = dest, Driver = "local", Anonymous = true });

    /// <summary>-v / Binds: [SOURCE:]DEST[:MODE]; a source that is a plain name is a named volume.</summary>
    public static PlannedMount ParseBind(string spec)
    {
        string bad = $"invalid volume specification: '{VolumeNames.Printable(spec)}'";
        var parts = spec.Split(':');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0)) throw BerthException.Invalid(bad);
        if (parts.Length == 1) return Anonymous(Destination(parts[0], bad));
        string source = parts[0];
        string dest = Destination(parts[1], bad);
        string mode = parts.Length == 3 ? parts[2] : "";
        bool bind = source.StartsWith('/');
        if (!bind) VolumeNames.Validate(source);
        var m = new ContainerMount { Destination = dest, Mode = mode, Type = bind ? "bind" : "volume" };
        foreach (var word in mode.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (word is "ro" or "rw") m.RW = word == "rw";
            else if (word is "z" or "Z" or "consistent" or "cached" or "delegated") { } // no SELinux here; macOS consistency hints mean nothing on Linux
            else if (word == "nocopy" && !bind) m.NoCopy = true;
            else if (Propagations.Contains(word) && bind) m.Propagation = word;
            else throw BerthException.Invalid($"{bad}: invalid mode: {VolumeNames.Printable(word)}");
        }
        if (mode.Split(',').Count(w => w is "ro" or "rw") > 1 || mode.Split(',').Count(w => Propagations.Contains(w)) > 1)
            throw BerthException.Invalid($"{bad}: invalid mode: {mode}");
        if (bind)
        {
            m.Source = Clean(source);
            if (m.Propagation == "") m.Propagation = "rprivate";
            return new PlannedMount(m, CreateSource: true);
        }
        m.Name = source;
        m.Driver = "local";
        // Docker shows a named volume given with -v and no mode as mode "z".
        if (mode.Length == 0) m.Mode = "z";
        return new PlannedMount(m);
    }

    /// <summary>--mount / HostConfig.Mounts.</summary>
    public static PlannedMount ParseMount(Mount mount)
    {
        string type = mount.Type;
        string bad = $"invalid mount config for type \"{VolumeNames.Printable(type)}\"";
        string dest = Destination(mount.Target, bad);
        var m = new ContainerMount { Type = type, Destination = dest, RW = !mount.ReadOnly };
        switch (type)
        {
            case "bind":
                if (mount.VolumeOptions != null) throw BerthException.Invalid($"{bad}: field VolumeOptions must not be specified");
                if (mount.TmpfsOptions != null) throw BerthException.Invalid($"{bad}: field TmpfsOptions must not be specified");
                if (string.IsNullOrEmpty(mount.Source)) throw BerthException.Invalid($"{bad}: field Source must not be empty");
                if (!mount.Source.StartsWith('/')) throw BerthException.Invalid($"{bad}: invalid mount path: '{VolumeNames.Printable(mount.Source)}' mount path must be absolute");
                m.Source = Clean(mount.Source);
                string propagation = mount.BindOptions?.Propagation ?? "";
                if (propagation.Length > 0 && !Propagations.Contains(propagation))
                    throw BerthException.Invalid($"{bad}: invalid propagation mode: {VolumeNames.Printable(propagation)}");
                m.Propagation = propagation.Length > 0 ? propagation : "rprivate";
                m.Recursive = mount.BindOptions?.NonRecursive != true;
                return new PlannedMount(m, CreateSource: mount.BindOptions?.CreateMountpoint == true);
            case "volume":
                if (mount.BindOptions != null) throw BerthException.Invalid($"{bad}: field BindOptions must not be specified");
                if (mount.TmpfsOptions != null) throw BerthException.Invalid($"{bad}: field TmpfsOptions must not be specified");
                m.Driver = mount.VolumeOptions?.DriverConfig?.Name is { Length: > 0 } d ? d : "local";
                if (m.Driver != "local")
                    throw BerthException.NotFound($"error looking up volume plugin {m.Driver}: plugin \"{m.Driver}\" not found");
                if (string.IsNullOrEmpty(mount.Source)) m.Anonymous = true;
                else
                {
                    VolumeNames.Validate(mount.Source);
                    m.Name = mount.Source;
                }
                m.NoCopy = mount.VolumeOptions?.NoCopy == true;
                if (mount.VolumeOptions?.Subpath is { Length: > 0 } sub)
                {
                    if (sub.StartsWith('/') || sub.Split('/').Any(p => p == ".."))
                        throw BerthException.Invalid($"{bad}: invalid subpath \"{VolumeNames.Printable(sub)}\": it must be relative and must not contain \"..\"");
                    m.Subpath = sub;
                }
                return new PlannedMount(m, mount.VolumeOptions?.Labels, mount.VolumeOptions?.DriverConfig?.Options);
            case "tmpfs":
                if (!string.IsNullOrEmpty(mount.Source)) throw BerthException.Invalid($"{bad}: field Source must not be specified");
                if (mount.BindOptions != null || mount.VolumeOptions != null) throw BerthException.Invalid($"{bad}: only TmpfsOptions may be specified");
                var opts = new List<string> { "nosuid", "nodev", "noexec" };
                if (mount.TmpfsOptions?.SizeBytes is { } size)
                {
                    if (size < 0) throw BerthException.Invalid($"{bad}: invalid tmpfs size {size}");
                    if (size > 0) opts.Add($"size={size}");
                }
                if (mount.TmpfsOptions?.Mode is { } mode) opts.Add("mode=" + Convert.ToString(mode & 0xfff, 8));
                foreach (var pair in mount.TmpfsOptions?.Options ?? new())
                    opts.AddRange(TmpfsOptionList(dest, string.Join('=', pair)).Skip(3));
                if (mount.ReadOnly) opts.Add("ro");
                m.TmpfsOptions = opts;
                return new PlannedMount(m);
            default:
                throw BerthException.Invalid($"mount type \"{VolumeNames.Printable(type)}\" is not supported: use bind, volume or tmpfs");
        }
    }

    /// <summary>--tmpfs PATH:OPTIONS: the kernel's tmpfs options after Docker's defaults nosuid,nodev,noexec.</summary>
    public static List<string> TmpfsOptionList(string path, string? options)
    {
        var list = new List<string> { "nosuid", "nodev", "noexec" };
        foreach (var o in (options ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string key = o.Split('=')[0];
            bool flag = !o.Contains('=');
            bool ok = flag
                ? o is "ro" or "rw" or "nosuid" or "suid" or "nodev" or "dev" or "noexec" or "exec" or "sync" or "async" or "dirsync"
                    or "noatime" or "atime" or "nodiratime" or "diratime" or "relatime" or "norelatime" or "strictatime" or "nostrictatime"
                : key is "size" or "mode" or "uid" or "gid" or "nr_inodes" or "nr_blocks" or "huge" or "mpol";
            if (!ok) throw BerthException.Invalid($"invalid tmpfs option \"{VolumeNames.Printable(o)}\" for {path}");
            if (key == "mode" && (o.Length == 5 || o[5..].Any(c => c is < '0' or > '7')))
                throw BerthException.Invalid($"invalid tmpfs option \"{o}\" for {path}: mode must be octal");
            list.Add(o);
        }
        return list;
    }

    private static IEnumerable<PlannedMount> FromContainer(string spec, Func<string, ContainerRecord> resolve)
    {
        var parts = spec.Split(':');
        if (parts.Length > 2 || parts[0].Length == 0) throw BerthException.Invalid($"invalid volumes-from specification: '{VolumeNames.Printable(spec)}'");
        string mode = parts.Length == 2 ? parts[1] : "";
        if (mode is not ("" or "ro" or "rw" or "z" or "Z" or "ro,z" or "rw,z" or "ro,Z" or "rw,Z"))
            throw BerthException.Invalid($"invalid volumes-from specification: '{VolumeNames.Printable(spec)}': invalid mode: {VolumeNames.Printable(mode)}");
        var source = resolve(parts[0]);
        foreach (var m in source.Mounts.Where(m => m.Type is "bind" or "volume"))
        {
            var copy = new ContainerMount
            {
                Type = m.Type, Name = m.Name, Source = m.Source, Destination = m.Destination, Driver = m.Driver,
                Mode = mode.Length > 0 ? mode : m.Mode, RW = mode.StartsWith("ro", StringComparison.Ordinal) ? false : mode.StartsWith("rw", StringComparison.Ordinal) || m.RW,
                Propagation = m.Propagation, NoCopy = true, Subpath = m.Subpath, Recursive = m.Recursive,
            };
            yield return new PlannedMount(copy);
        }
    }

    /// <summary>A mount target: absolute, cleaned, not the root and not over /proc.</summary>
    private static string Destination(string path, string bad)
    {
        if (string.IsNullOrEmpty(path) || !path.StartsWith('/'))
            throw BerthException.Invalid($"{bad}: invalid mount path: '{VolumeNames.Printable(path ?? "")}' mount path must be absolute");
        if (path.Any(char.IsControl)) throw BerthException.Invalid($"{bad}: mount path '{VolumeNames.Printable(path)}' contains control characters");
        string clean = Clean(path);
        if (clean == "/") throw BerthException.Invalid($"{bad}: invalid specification: destination can't be '/'");
        if (clean == "/proc" || clean.StartsWith("/proc/", StringComparison.Ordinal))
            throw BerthException.Invalid($"{bad}: mounting over {clean} is not allowed: it would hide or replace the container's /proc");
        return clean;
    }

    /// <summary>Removes duplicate slashes, "." and ".." lexically (as Go's filepath.Clean), keeping the path absolute.</summary>
    private static string Clean(string path)
    {
        var stack = new List<string>();
        foreach (var p in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..") { if (stack.Count > 0) stack.RemoveAt(stack.Count - 1); continue; }
            stack.Add(p);
        }
        return "/" + string.Join('/', stack);
    }
}
