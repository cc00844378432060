using System.Text;
using Berth.Core;
using Berth.Runtime.Init;
using Berth.Runtime.Native;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Launch;

/// <summary>
/// A container init started before its container is known (`berth __init --parked`), so that a start does not wait
/// for it to exec and bring up its runtime. It is born as pid 1 of a new pid namespace (the one namespace that must be
/// chosen at birth) and otherwise still shares the monitor's. It blocks on a seqpacket socket until it is handed a state
/// dir, the cgroup v1 root and its stdio; then it joins its cgroup, creates its other namespaces, and goes on as any
/// init (see InitMode). If the socket closes first, it exits.
/// </summary>
public sealed unsafe class ParkedInit
{
    private static readonly Lock Gate = new();
    private static ParkedInit? _current;

    private readonly int _pid;
    private readonly int _statusRead;
    private readonly int _socket;

    private ParkedInit(int pid, int statusRead, int socket)
    {
        _pid = pid;
        _statusRead = statusRead;
        _socket = socket;
    }

    /// <summary>The argument the parked init is started with instead of a state dir.</summary>
    public const string Flag = "--parked";

    /// <summary>Starts an init to wait, as this process's child, for the container it will run.</summary>
    /// <exception cref="BerthException">It could not be started.</exception>
    public static void Park(string berthExecutable)
    {
        var parked = Spawn(NamespacedSpawn.ResolveExecutable(berthExecutable));
        lock (Gate)
        {
            if (_current == null)
            {
                _current = parked;
                return;
            }
        }
        parked.Discard();
    }

    /// <summary>Takes the waiting init, if any, for one start.</summary>
    internal static ParkedInit? Take()
    {
        lock (Gate)
        {
            var p = _current;
            _current = null;
            return p;
        }
    }

    /// <summary>The waiting init's pid, if there is one (for tests and diagnostics).</summary>
    public static int? WaitingPid()
    {
        lock (Gate)
            return _current?._pid;
    }

    /// <summary>Ends a waiting init that will not be used (closing its socket makes it exit) and reaps it.</summary>
    public static void DiscardWaiting() => Take()?.Discard();

    private static ParkedInit Spawn(string exe)
    {
        int* status = stackalloc int[2];
        if (Libc.pipe2(status, O_CLOEXEC) != 0)
            throw BerthException.Internal($"park init: pipe2: {Errno.DescribeLast()}");
        if (!FdPassing.Pair(out int mine, out int theirs))
        {
            var error = Errno.DescribeLast();
            Libc.close(status[0]);
            Libc.close(status[1]);
            throw BerthException.Internal($"park init: socketpair: {error}");
        }
        int devNull = Libc.open("/dev/null", O_RDWR | O_CLOEXEC, 0);
        var env = NativeStrings.CurrentEnvironment();
        int pid = 0;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // pid_for_children is per thread: only this throw-away thread's child lands in the new namespace.
                if (Libc.unshare(CLONE_NEWPID) != 0)
                    throw BerthException.Internal($"park init: unshare pid namespace: {Errno.DescribeLast()}");
                pid = Spawner.Spawn(exe, [exe, "__init", Flag], env,
                    [(devNull, 0), (devNull, 1), (devNull, 2), (status[1], StatusPipe.ChildStatusFd), (theirs, StatusPipe.ChildGoFd)], newSession: true);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 256 * 1024) { IsBackground = true, Name = "berth-park" };
        thread.Start();
        thread.Join();
        Libc.close(devNull);
        Libc.close(status[1]);
        Libc.close(theirs);
        if (failure != null || pid <= 0)
        {
            Libc.close(status[0]);
            Libc.close(mine);
            throw failure as BerthException ?? BerthException.Internal($"park init: posix_spawn {exe}: {Errno.Describe(-pid)}");
        }
        return new ParkedInit(pid, status[0], mine);
    }

    /// <summary>
    /// Hands the init its container and waits until it exec'ed the command; null when the init is gone (start one the
    /// usual way instead). The cgroup must exist.
    /// </summary>
    /// <exception cref="ContainerStartException">The init failed to set the container up.</exception>
    internal int? Assign(string stateDir, string cgroupRoot, int stdinFd, int stdoutFd, int stderrFd)
    {
        try
        {
            var message = Encoding.UTF8.GetBytes(Path.GetFullPath(stateDir) + "\0" + cgroupRoot);
            if (!FdPassing.Send(_socket, message, [stdinFd, stdoutFd, stderrFd]))
            {
                Reap();
                return null;
            }
            Libc.close(_socket);
            StatusPipe.AwaitExec(_statusRead, _pid);
            return _pid;
        }
        finally
        {
            Libc.close(_statusRead);
        }
    }

    internal void Discard()
    {
        Libc.close(_socket);
        Libc.close(_statusRead);
        Reap();
    }

    private void Reap()
    {
        Libc.kill(_pid, 9);
        ProcessExit.Wait(_pid);
    }

    /// <summary>Init side: waits for the assignment on the go fd; null when the socket closed without one.</summary>
    internal static (string StateDir, string CgroupRoot)? AwaitAssignment()
    {
        var received = FdPassing.Receive(StatusPipe.ChildGoFd, 8192);
        Libc.close(StatusPipe.ChildGoFd);
        if (received is not { } r)
            return null;
        if (r.Fds.Length != 3)
        {
            foreach (int fd in r.Fds)
                Libc.close(fd);
            throw new SetupException(125, $"parked init: expected 3 stdio descriptors, got {r.Fds.Length}");
        }
        for (int i = 0; i < 3; i++)
        {
            if (Libc.dup2(r.Fds[i], i) < 0)
                throw SetupException.Errno($"parked init: dup2 onto {i}", Errno.Last);
        }
        foreach (int fd in r.Fds)
        {
            if (fd > 2)
                Libc.close(fd);
        }
        Libc.fcntl(StatusPipe.ChildStatusFd, F_SETFD, FD_CLOEXEC);
        var parts = Encoding.UTF8.GetString(r.Data).Split('\0');
        if (parts.Length != 2 || !Path.IsPathFullyQualified(parts[0]) || !Path.IsPathFullyQualified(parts[1]))
            throw new SetupException(125, "parked init: malformed assignment");
        return (parts[0], parts[1]);
    }
}
