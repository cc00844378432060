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
        // Gone from its place at once; the unlinking (milliseconds of kernel work for an overlay upper) happens
        // off the caller's path. Whatever a crash leaves in the temp dir goes at the next start (RemoveStaleTempInBackground).
        ThreadPool.QueueUserWorkItem(_ =>
        {
            try { RemoveTree(trash); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* retried at the next start */ }
        });
    }

    /// <summary>Mounts overlayfs for <paramref name="rw"/> on <paramref name="target"/> (which must exist).</summary>
    public static void Mount(RwLayer rw, string target) => Mount(rw, target, forceFsConfig: false);

    /// <summary>
    /// mount(2) takes all options in one page (4096 bytes), which ~40 long lower paths exceed; then the layers are passed one
    /// at a time with the fsopen/fsconfig API ("lowerdir+", Linux 6.8+). <paramref name="forceFsConfig"/> is for tests.
    /// </summary>
    internal static void Mount(RwLayer rw, string target, bool forceFsConfig)
    {
        if (rw.LowerDirs.Count == 0) throw BerthException.Invalid($"writable layer {rw.Key} has no lower dirs");
        string options = $"lowerdir={string.Join(':', rw.LowerDirs)},upperdir={rw.UpperDir},workdir={rw.WorkDir}";
        if (options.Length < 4000 && !forceFsConfig)
        {
            if (LibC.Mount("overlay", target, "overlay", 0, options) != 0)
            {
                int e = LibC.Errno;
                throw BerthException.Internal($"mount overlay on {target}: {LibC.ErrnoName(e)}");
            }
            return;
        }
        MountWithFsConfig(rw, target);
    }

    private static void MountWithFsConfig(RwLayer rw, string target)
    {
        int fs = LibC.Fsopen("overlay", LibC.FSOPEN_CLOEXEC);
        if (fs < 0) throw BerthException.Internal($"fsopen overlay for {target}: {LibC.ErrnoName(LibC.Errno)}");
        int mnt = -1;
        try
        {
            void Set(string key, string value)
            {
                // fsconfig copies at most 256 bytes of a string value.
                if (System.Text.Encoding.UTF8.GetByteCount(value) > 255)
                    throw BerthException.Internal($"mount overlay on {target}: path {value} is longer than fsconfig's 255-byte limit");
                if (LibC.Fsconfig(fs, LibC.FSCONFIG_SET_STRING, key, value, 0) != 0)
                {
                    int e = LibC.Errno;
                    throw BerthException.Internal($"mount overlay on {target}: fsconfig {key}={value}: {LibC.ErrnoName(e)}{FsLog(fs)}");
                }
            }
            foreach (var lower in rw.LowerDirs) Set("lowerdir+", lower);
            Set("upperdir", rw.UpperDir);
            Set("workdir", rw.WorkDir);
            if (LibC.Fsconfig(fs, LibC.FSCONFIG_CMD_CREATE, null, null, 0) != 0)
            {
                int e = LibC.Errno;
                throw BerthException.Internal($"mount overlay on {target}: fsconfig create ({rw.LowerDirs.Count} layers): {LibC.ErrnoName(e)}{FsLog(fs)}");
            }
            mnt = LibC.Fsmount(fs, LibC.FSMOUNT_CLOEXEC, 0);
            if (mnt < 0) throw BerthException.Internal($"mount overlay on {target}: fsmount: {LibC.ErrnoName(LibC.Errno)}");
            if (LibC.MoveMount(mnt, "", LibC.AT_FDCWD, target, LibC.MOVE_MOUNT_F_EMPTY_PATH) != 0)
                throw BerthException.Internal($"mount overlay on {target}: move_mount: {LibC.ErrnoName(LibC.Errno)}");
        }
        finally
        {
            if (mnt >= 0) LibC.Close(mnt);
            LibC.Close(fs);
        }
    }

    /// <summary>The kernel's messages about a failed fs context (e.g. "overlayfs: …"), which say more than the errno.</summary>
    private static unsafe string FsLog(int fd)
    {
        var sb = new System.Text.StringBuilder();
        byte* buf = stackalloc byte[512];
        for (int i = 0; i < 8; i++)
        {
            nint n = LibC.Read(fd, buf, 512);
            if (n <= 0) break;
            sb.Append(" [").Append(System.Text.Encoding.UTF8.GetString(buf, (int)n).TrimEnd('\n')).Append(']');
        }
        return sb.ToString();
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
