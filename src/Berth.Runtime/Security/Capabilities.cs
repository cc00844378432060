using Berth.Core;

namespace Berth.Runtime.Security;

/// <summary>Linux capability names and numbers, Docker's default set, and the privileged set.</summary>
public static class Capabilities
{
    // Index = capability number (linux/capability.h).
    private static readonly string[] Names =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ];

    /// <summary>The capabilities Docker grants a container by default.</summary>
    public static IReadOnlyList<string> DockerDefault { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ];

    /// <summary>The highest capability number this kernel knows (/proc/sys/kernel/cap_last_cap).</summary>
    public static int LastCap
    {
        get
        {
            try
            {
                return int.Parse(File.ReadAllText("/proc/sys/kernel/cap_last_cap").Trim());
            }
            catch (IOException)
            {
                return Names.Length - 1;
            }
        }
    }

    /// <summary>Every capability up to the kernel's last one: what --privileged gets.</summary>
    public static IReadOnlyList<string> Privileged()
    {
        var last = LastCap;
        var all = new List<string>();
        for (var i = 0; i <= last; i++)
            all.Add(i < Names.Length ? Names[i] : $"CAP_{i}");
        return all;
    }

    /// <summary>Normalizes "chown", "CAP_CHOWN", "Cap_Chown" to "CAP_CHOWN"; throws for unknown names.</summary>
    public static string Normalize(string name)
    {
        var upper = name.Trim().ToUpperInvariant();
        if (!upper.StartsWith("CAP_", StringComparison.Ordinal))
            upper = "CAP_" + upper;
        if (Array.IndexOf(Names, upper) < 0)
            throw BerthException.Invalid($"unknown capability: \"{name}\"");
        return upper;
    }

    /// <summary>The capability's number, e.g. CAP_SYS_ADMIN → 21.</summary>
    public static int Number(string name) => Array.IndexOf(Names, Normalize(name));

    /// <summary>The name of capability number n.</summary>
    public static string NameOf(int number) => number >= 0 && number < Names.Length ? Names[number] : $"CAP_{number}";

    /// <summary>Applies Docker's --cap-add/--cap-drop (names with or without CAP_, or "ALL") to a base set.</summary>
    public static List<string> Adjust(IEnumerable<string> baseSet, IEnumerable<string> add, IEnumerable<string> drop)
    {
        var result = new List<string>();
        var dropAll = drop.Any(d => d.Trim().Equals("ALL", StringComparison.OrdinalIgnoreCase));
        var dropped = drop.Where(d => !d.Trim().Equals("ALL", StringComparison.OrdinalIgnoreCase)).Select(Normalize).ToHashSet();
        if (!dropAll)
            result.AddRange(baseSet.Select(Normalize).Where(c => !dropped.Contains(c)));
        foreach (var a in add)
        {
            var list = a.Trim().Equals("ALL", StringComparison.OrdinalIgnoreCase) ? Privileged() : [Normalize(a)];
            foreach (var c in list)
                if (!result.Contains(c))
                    result.Add(c);
        }
        return result;
    }

    /// <summary>A 64-bit mask of the named capabilities.</summary>
    public static ulong Mask(IEnumerable<string> names)
    {
        ulong mask = 0;
        foreach (var n in names)
            mask |= 1UL << Number(n);
        return mask;
    }
}
