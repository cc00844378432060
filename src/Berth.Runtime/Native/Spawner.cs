using System.Runtime.InteropServices;

namespace Berth.Runtime.Native;

/// <summary>glibc posix_spawn with explicit fd mapping, every signal reset to default and an empty signal mask.</summary>
internal static unsafe class Spawner
{
    // glibc's posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80; over-allocate to stay safe.
    private const int OpaqueSize = 1024;

    /// <summary>Spawns <paramref name="path"/>; <paramref name="fdMap"/> pairs (source fd, target fd) are dup2'ed in order.</summary>
    /// <returns>The pid, or -errno.</returns>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<string> envp, IReadOnlyList<(int From, int To)> fdMap, bool newSession)
    {
        using var args = new NativeStrings(argv);
        using var env = new NativeStrings(envp);
        var file = args.Utf8(path);
        var actions = NativeMemory.AllocZeroed(OpaqueSize);
        var attr = NativeMemory.AllocZeroed(OpaqueSize);
        var sigs = NativeMemory.AllocZeroed(128);
        var temps = new List<int>();
        try
        {
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawnattr_init(attr);
            // Sources are first copied above every target so that no dup2 can clobber a later source.
            foreach (var (from, to) in fdMap)
            {
                var high = Libc.fcntl(from, LinuxConstants.F_DUPFD_CLOEXEC, 64);
                if (high < 0)
                    return -Errno.Last;
                temps.Add(high);
                Libc.posix_spawn_file_actions_adddup2(actions, high, to);
            }
            short flags = LinuxConstants.POSIX_SPAWN_SETSIGDEF | LinuxConstants.POSIX_SPAWN_SETSIGMASK;
            if (newSession)
                flags |= LinuxConstants.POSIX_SPAWN_SETSID;
            Libc.posix_spawnattr_setflags(attr, flags);
            Libc.sigfillset(sigs);
            Libc.posix_spawnattr_setsigdefault(attr, sigs);
            Libc.sigemptyset(sigs);
            Libc.posix_spawnattr_setsigmask(attr, sigs);
            int pid;
            var rc = Libc.posix_spawn(&pid, file, actions, attr, args.Pointer, env.Pointer);
            return rc == 0 ? pid : -rc;
        }
        finally
        {
            foreach (var t in temps)
                Libc.close(t);
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
        }
    }
}
