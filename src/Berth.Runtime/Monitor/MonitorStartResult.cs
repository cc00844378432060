namespace Berth.Runtime.Monitor;

/// <summary>What <see cref="MonitorProcess.Spawn"/> returns once the container runs.</summary>
public sealed class MonitorStartResult
{
    public MonitorStartResult(int monitorPid, int containerPid)
    {
        MonitorPid = monitorPid;
        ContainerPid = containerPid;
    }

    /// <summary>The detached monitor (not a child of the caller).</summary>
    public int MonitorPid { get; }

    /// <summary>The container's process as seen from the host; 0 with DeferStart until the `start` op.</summary>
    public int ContainerPid { get; }
}
