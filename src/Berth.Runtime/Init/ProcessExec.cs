using System.Runtime.InteropServices;
using Berth.Runtime.Native;
using Berth.Runtime.Security;
using Berth.Runtime.Spec;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>
/// The last steps before the user's command: rlimits, working directory, then — all on the calling thread with raw
/// syscalls, since glibc's set*id wrappers would change every thread — groups, gid, uid, capabilities,
/// no_new_privs and seccomp.
/// </summary>
internal static unsafe class ProcessExec
{
    private static readonly string[] RlimitNames =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
        "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE",
        "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    /// <summary>Process-wide settings that must precede the privilege drop: rlimits and the working directory.</summary>
    public static void Prepare(ProcessSpec process)
    {
        ulong* limit = stackalloc ulong[2];
        foreach (var r in process.Rlimits ?? [])
        {
            var name = r.Type.ToUpperInvariant();
            if (!name.StartsWith("RLIMIT_", StringComparison.Ordinal))
                name = "RLIMIT_" + name;
            var resource = Array.IndexOf(RlimitNames, name);
            if (resource < 0)
                throw new SetupException(125, $"unknown rlimit \"{r.Type}\"");
            limit[0] = r.Soft;
            limit[1] = r.Hard;
            if (Libc.prlimit(0, resource, limit, null) != 0)
                throw SetupException.Errno($"setrlimit {name} {r.Soft}:{r.Hard}", Errno.Last);
        }
        var cwd = process.Cwd.Length == 0 ? "/" : process.Cwd;
        if (!Directory.Exists(cwd))
            Sys.Mkdir(cwd);
        Sys.Chdir(cwd);
    }

    /// <summary>Drops privileges on the calling thread as <paramref name="process"/> says; children spawned by this thread inherit them.</summary>
    public static void DropPrivileges(ProcessSpec process, bool seccomp)
    {
        // A privileged container asks for every cap; it can only keep those the runtime itself holds.
        var keep = Capabilities.Mask(process.Capabilities) & CurrentPermitted();
        // Without no_new_privs the kernel demands CAP_SYS_ADMIN to load a filter, so it goes in before the drop.
        if (seccomp && !process.NoNewPrivileges)
            SeccompInstaller.InstallDefault(process.Capabilities);
        var gids = process.AdditionalGids.ToArray();
        fixed (uint* g = gids)
            Sys.Syscall("setgroups", SYS_setgroups, gids.Length, (long)g);
        Sys.Prctl("prctl(PR_SET_KEEPCAPS)", PR_SET_KEEPCAPS, 1);
        var last = Capabilities.LastCap;
        for (var cap = 0; cap <= last; cap++)
            if ((keep & (1UL << cap)) == 0)
                Sys.Prctl($"drop {Capabilities.NameOf(cap)} from the bounding set", PR_CAPBSET_DROP, (ulong)cap);
        Sys.Syscall($"setresgid {process.Gid}", SYS_setresgid, process.Gid, process.Gid, process.Gid);
        Sys.Syscall($"setresuid {process.Uid}", SYS_setresuid, process.Uid, process.Uid, process.Uid);
        var ambient = Capabilities.Mask(process.AmbientCapabilities ?? []) & keep;
        SetCapabilities(keep, ambient);
        if (ambient != 0)
            for (var cap = 0; cap <= last; cap++)
                if ((ambient & (1UL << cap)) != 0)
                    Sys.Prctl($"raise ambient {Capabilities.NameOf(cap)}", PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (ulong)cap);
        if (process.NoNewPrivileges)
            Sys.Prctl("prctl(PR_SET_NO_NEW_PRIVS)", PR_SET_NO_NEW_PRIVS, 1);
        if (seccomp && process.NoNewPrivileges)
            SeccompInstaller.InstallDefault(process.Capabilities);
    }

    private static ulong CurrentPermitted()
    {
        uint* header = stackalloc uint[2];
        header[0] = 0x20080522;
        header[1] = 0;
        uint* data = stackalloc uint[6];
        Sys.Syscall("capget", SYS_capget, (long)header, (long)data);
        return data[1] | ((ulong)data[4] << 32);
    }

    private static void SetCapabilities(ulong keep, ulong inheritable)
    {
        uint* header = stackalloc uint[2];
        header[0] = 0x20080522; // _LINUX_CAPABILITY_VERSION_3
        header[1] = 0;
        uint* data = stackalloc uint[6];
        data[0] = (uint)keep;                 // effective, low word
        data[1] = (uint)keep;                 // permitted
        data[2] = (uint)inheritable;          // inheritable
        data[3] = (uint)(keep >> 32);
        data[4] = (uint)(keep >> 32);
        data[5] = (uint)(inheritable >> 32);
        Sys.Syscall("capset", SYS_capset, (long)header, (long)data);
    }

    /// <summary>Resolves the command, drops privileges and execve's it; returns only by throwing.</summary>
    public static void Exec(ProcessSpec process, bool seccomp)
    {
        var path = ExecutableLookup.Find(process.Args[0], process.Env);
        using var argv = new NativeStrings(process.Args);
        using var envp = new NativeStrings(process.Env);
        var file = argv.Utf8(path);
        DropPrivileges(process, seccomp);
        Libc.execve(file, argv.Pointer, envp.Pointer);
        throw ExecFailure(process.Args[0], path, Marshal.GetLastPInvokeError());
    }

    public static SetupException ExecFailure(string name, string path, int errno) => errno switch
    {
        ENOENT => new SetupException(127, $"exec: \"{name}\": stat {path}: no such file or directory"),
        EACCES or EPERM or EISDIR => new SetupException(126, $"exec: \"{name}\": permission denied"),
        ENOEXEC => new SetupException(126, $"exec: \"{name}\": exec format error"),
        _ => SetupException.Errno($"exec {path}", errno),
    };
}
