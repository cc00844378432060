namespace Berth.Runtime.Monitor;

/// <summary>state.json: written by the monitor once the container's process runs.</summary>
public sealed class MonitorState
{
    public const string FileName = "state.json";

    public int MonitorPid { get; set; }
    public int Pid { get; set; }
    public DateTimeOffset StartedAt { get; set; }
}
