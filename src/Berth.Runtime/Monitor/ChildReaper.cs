using static Berth.Runtime.Monitor.MonitorSyscalls;

namespace Berth.Runtime.Monitor;

/// <summary>
/// Reaps monitors the daemon spawned as its own children, so none stays a zombie. Only the pids given are waited for
/// (never waitpid(-1)), so exit statuses of processes .NET started itself are left to it.
/// </summary>
public static unsafe class ChildReaper
{
    private static readonly Lock Gate = new();
    private static readonly HashSet<int> Pids = new();
    private static Timer? _timer;

    /// <summary>Starts watching <paramref name="pid"/>; it is reaped within about a second of exiting.</summary>
    public static void Watch(int pid)
    {
        lock (Gate)
        {
            Pids.Add(pid);
            _timer ??= new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Reaps whichever watched children have exited; returns how many.</summary>
    public static int Sweep()
    {
        int reaped = 0;
        lock (Gate)
        {
            foreach (int pid in Pids.ToList())
            {
                int status;
                int r = waitpid(pid, &status, WNOHANG);
                if (r == pid || (r < 0 && LastErrno != EINTR))
                {
                    Pids.Remove(pid);
                    reaped++;
                }
            }
        }
        return reaped;
    }
}
