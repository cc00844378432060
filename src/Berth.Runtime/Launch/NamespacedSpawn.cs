using System.Runtime.ExceptionServices;
using Berth.Core;
using Berth.Runtime.Native;

namespace Berth.Runtime.Launch;

/// <summary>
/// The start protocol shared by container and exec launches: a throw-away thread enters the namespaces (they are per
/// thread), posix_spawns the berth binary and exits; the parent places the child in its cgroup if needed, sends the
/// go-ahead byte and reads the status pipe until EOF.
/// </summary>
internal static unsafe class NamespacedSpawn
{
    /// <param name="enterNamespaces">Runs on the throw-away thread before the spawn (cgroup tasks, unshare, setns).</param>
    /// <param name="afterSpawn">Runs on the throw-away thread after the spawn, even when it failed (leave the container's cgroup).</param>
    /// <param name="placeChild">Runs in the parent after the spawn and before the go-ahead (v2 cgroup.procs).</param>
    public static int Start(string what, Action enterNamespaces, string exe, IReadOnlyList<string> argv,
        int stdinFd, int stdoutFd, int stderrFd, Action? afterSpawn, Action<int>? placeChild)
    {
        int* status = stackalloc int[2];
        int* go = stackalloc int[2];
        if (Libc.pipe2(status, LinuxConstants.O_CLOEXEC) != 0)
            throw BerthException.Internal($"{what}: pipe2: {Errno.DescribeLast()}");
        if (Libc.pipe2(go, LinuxConstants.O_CLOEXEC) != 0)
        {
            var err = Errno.Last;
            Libc.close(status[0]);
            Libc.close(status[1]);
            throw BerthException.Internal($"{what}: pipe2: {Errno.Describe(err)}");
        }
        int statusRead = status[0], statusWrite = status[1], goRead = go[0], goWrite = go[1];
        var env = NativeStrings.CurrentEnvironment();
        var pid = 0;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                enterNamespaces();
                pid = Spawner.Spawn(exe, argv, env,
                    [(stdinFd, 0), (stdoutFd, 1), (stderrFd, 2), (statusWrite, StatusPipe.ChildStatusFd), (goRead, StatusPipe.ChildGoFd)],
                    newSession: true);
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            try
            {
                afterSpawn?.Invoke();
            }
            catch (Exception e)
            {
                failure ??= ExceptionDispatchInfo.Capture(e);
            }
        }, 256 * 1024) { IsBackground = true, Name = "berth-spawn" };
        thread.Start();
        thread.Join();
        Libc.close(statusWrite);
        Libc.close(goRead);
        try
        {
            failure?.Throw();
            if (pid < 0)
                throw BerthException.Internal($"{what}: posix_spawn {exe}: {Errno.Describe(-pid)}");
            try
            {
                placeChild?.Invoke(pid);
            }
            catch
            {
                Libc.kill(pid, 9);
                ProcessExit.Wait(pid);
                throw;
            }
            byte b = 1;
            Libc.write(goWrite, &b, 1);
            Libc.close(goWrite);
            goWrite = -1;
            StatusPipe.AwaitExec(statusRead, pid);
            return pid;
        }
        finally
        {
            if (goWrite >= 0)
                Libc.close(goWrite);
            Libc.close(statusRead);
        }
    }

    /// <summary>The real path of an executable, resolved before any namespace change.</summary>
    public static string ResolveExecutable(string path)
    {
        var full = Path.GetFullPath(path);
        var info = new FileInfo(full);
        if (!info.Exists)
            throw BerthException.NotFound($"berth executable not found: {full}");
        return info.ResolveLinkTarget(true)?.FullName ?? full;
    }
}
