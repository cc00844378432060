using Berth.Runtime.Spec;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>Everything mounted before pivot_root: the rootfs, /proc, /dev, /sys and the spec's mounts.</summary>
internal static class RootfsSetup
{
    public static string MountRootfs(ContainerSpec spec, string stateDir)
    {
        // Nothing we mount may propagate back to the host.
        Sys.Mount(null, "/", null, MS_REC | MS_PRIVATE, null);
        var rootfs = Path.Combine(stateDir, "rootfs");
        Sys.Mkdir(rootfs);
        var r = spec.Rootfs;
        if (r.Path != null)
            Sys.Mount(r.Path, rootfs, null, MS_BIND | MS_REC, null);
        else
        {
            var data = "lowerdir=" + string.Join(':', r.LowerDirs);
            if (r.UpperDir != null && r.WorkDir != null)
                data += $",upperdir={r.UpperDir},workdir={r.WorkDir}";
            Sys.Mount("overlay", rootfs, "overlay", 0, data);
        }
        return rootfs;
    }

    public static void MountSystem(ContainerSpec spec, string rootfs)
    {
        var proc = Path.Combine(rootfs, "proc");
        Sys.Mkdir(proc);
        Sys.Mount("proc", proc, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        DevSetup.Build(rootfs, spec.ShmSizeBytes);
        var sys = Path.Combine(rootfs, "sys");
        Sys.Mkdir(sys);
        if (spec.Network == "host")
        {
            // sysfs shows the mounter's network namespace; with the host's network bind the host's /sys instead.
            Sys.Mount("/sys", sys, null, MS_BIND | MS_REC, null);
            Sys.Mount(null, sys, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        }
        else
        {
            Sys.Mount("sysfs", sys, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, null);
        }
    }

    public static void MountSpecMounts(ContainerSpec spec, string rootfs)
    {
        foreach (var m in spec.Mounts)
        {
            if (!m.Destination.StartsWith('/'))
                throw new SetupException(125, $"mount destination {m.Destination} is not an absolute path");
            var target = SecurePath.Resolve(rootfs, m.Destination);
            var options = MountOptions.Parse(m.Type, m.Options);
            if (options.Bind)
                Bind(m, target, options);
            else
            {
                Sys.Mkdir(target);
                Sys.Mount(m.Source.Length > 0 ? m.Source : m.Type, target, m.Type, options.Flags,
                    options.Data.Length > 0 ? options.Data : null);
            }
            if (options.Propagation != 0)
                Sys.Mount(null, target, null, options.Propagation, null);
        }
    }

    private static void Bind(MountSpec m, string target, MountOptions options)
    {
        if (Directory.Exists(m.Source))
            Sys.Mkdir(target);
        else if (File.Exists(m.Source))
        {
            Sys.Mkdir(Path.GetDirectoryName(target)!);
            Sys.Touch(target);
        }
        else
            throw new SetupException(125, $"bind source path does not exist: {m.Source}");
        Sys.Mount(m.Source, target, null, MS_BIND | (options.Recursive ? MS_REC : 0), null);
        // Flags on a bind only take effect through a remount.
        if ((options.Flags & ~MS_REC) != 0)
            Sys.Mount(null, target, null, MS_BIND | MS_REMOUNT | options.Flags, null);
    }
}
