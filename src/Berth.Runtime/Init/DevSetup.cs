using Berth.Runtime.Native;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>Builds the container's /dev: a tmpfs with the standard nodes, devpts, shm, mqueue and the /proc/self/fd links.</summary>
internal static class DevSetup
{
    private static readonly (string Name, uint Major, uint Minor)[] Nodes =
    [
        ("null", 1, 3), ("zero", 1, 5), ("full", 1, 7), ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0),
    ];

    public static void Build(string rootfs, long shmSizeBytes)
    {
        var dev = Path.Combine(rootfs, "dev");
        Sys.Mkdir(dev);
        Sys.Mount("tmpfs", dev, "tmpfs", MS_NOSUID | MS_STRICTATIME, "mode=755,size=65536k");
        foreach (var (name, major, minor) in Nodes)
            MakeNode(Path.Combine(dev, name), major, minor);

        var pts = Path.Combine(dev, "pts");
        Sys.Mkdir(pts);
        Sys.Mount("devpts", pts, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620,gid=5");
        Sys.Symlink("pts/ptmx", Path.Combine(dev, "ptmx"));

        var shm = Path.Combine(dev, "shm");
        Sys.Mkdir(shm);
        Sys.Mount("shm", shm, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
            $"mode=1777,size={shmSizeBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)}");

        var mqueue = Path.Combine(dev, "mqueue");
        Sys.Mkdir(mqueue);
        Sys.Mount("mqueue", mqueue, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, null);

        Sys.Symlink("/proc/self/fd", Path.Combine(dev, "fd"));
        Sys.Symlink("/proc/self/fd/0", Path.Combine(dev, "stdin"));
        Sys.Symlink("/proc/self/fd/1", Path.Combine(dev, "stdout"));
        Sys.Symlink("/proc/self/fd/2", Path.Combine(dev, "stderr"));
        Sys.Symlink("/proc/kcore", Path.Combine(dev, "core"));
    }

    /// <summary>Binds the init's stdin (the pty slave the monitor gave it) onto /dev/console.</summary>
    public static void BindConsole(string rootfs)
    {
        var console = Path.Combine(rootfs, "dev", "console");
        Sys.Touch(console);
        // The fd's own mount lives in the host's namespace (EINVAL to bind); its path names our copy of that mount.
        var slave = new FileInfo("/proc/self/fd/0").LinkTarget
            ?? throw new SetupException(125, "terminal: stdin is not a pty slave");
        Sys.Mount(slave, console, null, MS_BIND, null);
    }

    private static void MakeNode(string path, uint major, uint minor)
    {
        var dev = ((ulong)(major & 0xfff) << 8) | (minor & 0xff) | ((ulong)(minor & ~0xffu) << 12);
        if (Libc.mknod(path, S_IFCHR | 0x1b6, dev) == 0)
        {
            // mknod applies the umask; device nodes must be world-usable like on a host.
            Libc.chmod(path, 0x1b6);
            return;
        }
        // Without CAP_MKNOD (or on a nodev mount) fall back to binding the host's node.
        Sys.Touch(path);
        Sys.Mount("/dev/" + Path.GetFileName(path), path, null, MS_BIND, null);
    }
}
