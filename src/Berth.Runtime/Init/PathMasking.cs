using Berth.Runtime.Native;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>Docker's masked and read-only paths, applied after pivot_root.</summary>
internal static class PathMasking
{
    /// <summary>Docker's default masked paths.</summary>
    public static readonly string[] DefaultMasked =
    [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ];

    /// <summary>Docker's default read-only paths.</summary>
    public static readonly string[] DefaultReadonly =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    public static void Mask(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            if (Directory.Exists(p))
                Sys.Mount("tmpfs", p, "tmpfs", MS_RDONLY, null);
            else if (File.Exists(p))
                Sys.Mount("/dev/null", p, null, MS_BIND, null);
        }
    }

    public static void MakeReadonly(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            if (!Directory.Exists(p) && !File.Exists(p))
                continue;
            Sys.Mount(p, p, null, MS_BIND | MS_REC, null);
            // /proc's nosuid/nodev/noexec must be repeated on the remount or the kernel refuses it.
            if (Libc.mount(null, p, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_REC, null) != 0)
                Sys.Mount(null, p, null, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC, null);
        }
    }

    /// <summary>Makes "/" read-only (--read-only), keeping the flags it already has.</summary>
    public static void RemountRootReadonly()
    {
        Sys.Mount(null, "/", null, MS_BIND | MS_REMOUNT | MS_RDONLY, null);
    }
}
