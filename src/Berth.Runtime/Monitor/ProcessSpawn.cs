using System.Runtime.InteropServices;
using System.Text;

namespace Berth.Runtime.Monitor;

/// <summary>One glibc posix_spawn call: fd set-up actions, optional chdir and new session, all signals reset to default and unblocked.</summary>
internal sealed unsafe class ProcessSpawn
{
    private const short POSIX_SPAWN_SETSIGDEF = 0x04;
    private const short POSIX_SPAWN_SETSIGMASK = 0x08;
    private const short POSIX_SPAWN_SETSID = 0x80;
    // glibc's posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80; over-allocate.
    private const int OpaqueSize = 1024;

    private readonly List<(int Fd, int Target, string? Path, int Flags)> _actions = new();

    /// <summary>Search PATH (of this process) when the program has no slash.</summary>
    public bool SearchPath { get; init; }

    public bool NewSession { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Makes <paramref name="target"/> in the child a copy of <paramref name="fd"/> (dup2 clears close-on-exec).</summary>
    public void Dup(int fd, int target) => _actions.Add((fd, target, null, 0));

    /// <summary>Opens <paramref name="path"/> as <paramref name="target"/> in the child (after setsid: a tty opened so becomes the controlling terminal).</summary>
    public void Open(int target, string path, int flags) => _actions.Add((-1, target, path, flags));

    /// <summary>Spawns the program; returns the pid or -errno.</summary>
    public int Run(IReadOnlyList<string> argv, IReadOnlyList<string> env)
    {
        var strings = new List<nint>();
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attr = NativeMemory.AllocZeroed(OpaqueSize);
        var sigs = NativeMemory.AllocZeroed(128);
        var temps = new List<int>();
        byte** argvPtr = (byte**)NativeMemory.AllocZeroed((nuint)(argv.Count + 1), (nuint)sizeof(nint));
        byte** envPtr = (byte**)NativeMemory.AllocZeroed((nuint)(env.Count + 1), (nuint)sizeof(nint));
        try
        {
            for (int i = 0; i < argv.Count; i++)
                argvPtr[i] = Utf8(argv[i], strings);
            for (int i = 0; i < env.Count; i++)
                envPtr[i] = Utf8(env[i], strings);
            MonitorSyscalls.posix_spawn_file_actions_init(actions);
            MonitorSyscalls.posix_spawnattr_init(attr);
            foreach (var (fd, target, path, flags) in _actions)
            {
                if (path is not null)
                {
                    MonitorSyscalls.posix_spawn_file_actions_addopen(actions, target, Utf8(path, strings), flags, 0);
                    continue;
                }
                // Copy each source above the targets first so no dup2 clobbers a later source.
                int high = MonitorSyscalls.fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 64);
                if (high < 0)
                    return -MonitorSyscalls.LastErrno;
                temps.Add(high);
                MonitorSyscalls.posix_spawn_file_actions_adddup2(actions, high, target);
            }
            if (WorkingDirectory is not null)
                MonitorSyscalls.posix_spawn_file_actions_addchdir_np(actions, Utf8(WorkingDirectory, strings));
            short spawnFlags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
            if (NewSession)
                spawnFlags |= POSIX_SPAWN_SETSID;
            MonitorSyscalls.posix_spawnattr_setflags(attr, spawnFlags);
            MonitorSyscalls.sigfillset(sigs);
            MonitorSyscalls.posix_spawnattr_setsigdefault(attr, sigs);
            MonitorSyscalls.sigemptyset(sigs);
            MonitorSyscalls.posix_spawnattr_setsigmask(attr, sigs);
            int pid;
            int rc = SearchPath
                ? MonitorSyscalls.posix_spawnp(&pid, argvPtr[0], actions, attr, argvPtr, envPtr)
                : MonitorSyscalls.posix_spawn(&pid, argvPtr[0], actions, attr, argvPtr, envPtr);
            return rc == 0 ? pid : -rc;
        }
        finally
        {
            foreach (int t in temps)
                MonitorSyscalls.close(t);
            MonitorSyscalls.posix_spawn_file_actions_destroy(actions);
            MonitorSyscalls.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
            NativeMemory.Free(argvPtr);
            NativeMemory.Free(envPtr);
            foreach (nint s in strings)
                NativeMemory.Free((void*)s);
        }
    }

    private static byte* Utf8(string s, List<nint> owned)
    {
        int n = Encoding.UTF8.GetByteCount(s);
        byte* p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        Encoding.UTF8.GetBytes(s, new Span<byte>(p, n));
        p[n] = 0;
        owned.Add((nint)p);
        return p;
    }

    /// <summary>The environment of this process as NAME=value strings.</summary>
    public static List<string> CurrentEnvironment()
    {
        var env = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            env.Add($"{e.Key}={e.Value}");
        return env;
    }
}
