using Berth.Runtime.Native;

namespace Berth.Runtime.Launch;

/// <summary>A started container init or exec process; the caller is its parent and must reap it (<see cref="WaitForExit"/>).</summary>
public sealed class LaunchedProcess
{
    public LaunchedProcess(int pid) => Pid = pid;

    /// <summary>The process ID in the caller's pid namespace.</summary>
    public int Pid { get; }

    /// <summary>Blocks until the process exits and returns Docker's exit code (128+n when killed by signal n).</summary>
    public int WaitForExit() => ProcessExit.Wait(Pid);
}
