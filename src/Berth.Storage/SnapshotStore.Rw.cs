using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage;

/// <summary>Containers' writable layers and overlay mounts.</summary>
public sealed partial class SnapshotStore
{
    /// <summary>Creates the writable layer <paramref name="key"/> over the image layer chain ending at <paramref name="chainId"/> (null for a scratch image).</summary>
    public RwLayer CreateRw(string key, string? chainId)
    {
        string dir = RwDir(key);
        if (Directory.Exists(dir)) throw BerthException.Conflict($"writable layer {key} already exists");
        var lowers = chainId == null ? new List<string> { EmptyDir } : LowerDirs(chainId).ToList();
        string tmp = Path.Combine(TmpDir, "rw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(tmp, "upper"));
        Directory.CreateDirectory(Path.Combine(tmp, "work"));
        File.WriteAllText(Path.Combine(tmp, "parent"), chainId ?? "");
        Directory.Move(tmp, dir);
        return new RwLayer(key, chainId, Path.Combine(dir, "upper"), Path.Combine(dir, "work"), lowers);
    }

    public RwLayer GetRw(string key)
    {
        string dir = RwDir(key);
        string parentFile = Path.Combine(dir, "parent");
        if (!File.Exists(parentFile)) throw BerthException.NotFound($"writable layer {key} not found");
        string parent = File.ReadAllText(parentFile);
        string? chainId = parent.Length == 0 ? null : parent;
        var lowers = chainId == null ? new List<string> { EmptyDir } : LowerDirs(chainId).ToList();
        return new RwLayer(key, chainId, Path.Combine(dir, "upper"), Path.Combine(dir, "work"), lowers);
    }

    /// <summary>The image ChainIDs that writable layers sit on; those layers must not be removed.</summary>
    public IReadOnlySet<string> ChainsUsedByRw()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(RwRoot))
        {
            string p = Path.Combine(dir, "parent");
            if (!File.Exists(p)) continue;
            string parent = File.ReadAllText(p);
            if (parent.Length > 0) set.Add(parent);
        }
        return set;
    }

    public void RemoveRw(string key)
    {
        string dir = RwDir(key);
        if (!Directory.Exists(dir)) return;
        string trash = Path.Combine(TmpDir, "rm-" + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, trash);
        RemoveTree(trash);
    }

    /// <summary>Mounts overlayfs for <paramref name="rw"/> on <paramref name="target"/> (which must exist).</summary>
    public static void Mount(RwLayer rw, string target)
    {
        var lowers = rw.LowerDirs.Count == 0 ? throw BerthException.Invalid($"writable layer {rw.Key} has no lower dirs") : rw.LowerDirs;
        string options = $"lowerdir={string.Join(':', lowers)},upperdir={rw.UpperDir},workdir={rw.WorkDir}";
        if (options.Length >= 4096)
            throw BerthException.Invalid($"overlay options for {target} are {options.Length} bytes, over the 4096-byte page limit ({lowers.Count} layers)");
        if (LibC.Mount("overlay", target, "overlay", 0, options) != 0)
        {
            int e = LibC.Errno;
            throw BerthException.Internal($"mount overlay on {target}: {LibC.ErrnoName(e)}");
        }
    }

    /// <summary>Lazily unmounts <paramref name="target"/> (MNT_DETACH); a target that is not mounted is not an error.</summary>
    public static void Unmount(string target)
    {
        if (LibC.Umount2(target, LibC.MNT_DETACH) != 0)
        {
            int e = LibC.Errno;
            if (e == LibC.EINVAL || e == LibC.ENOENT) return;
            throw BerthException.Internal($"unmount {target}: {LibC.ErrnoName(e)}");
        }
    }

    private string RwDir(string key)
    {
        if (key.Length == 0 || key.Length > 128 || key.Contains('/') || key is "." or "..")
            throw BerthException.Invalid($"invalid writable layer key \"{key}\"");
        return Path.Combine(RwRoot, key);
    }
}
