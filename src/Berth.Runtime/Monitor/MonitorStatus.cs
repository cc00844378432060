namespace Berth.Runtime.Monitor;

/// <summary>The reply to the `state` op.</summary>
public sealed class MonitorStatus
{
    public int Pid { get; set; }
    public bool Running { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public ExitRecord? Exit { get; set; }
}
