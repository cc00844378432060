using Berth.Core;

namespace Berth.Runtime.Monitor;

/// <summary>The monitor's one-line JSON answer; Error set means the request failed.</summary>
public sealed class MonitorReply
{
    public string? Error { get; set; }
    public ErrorKind? Kind { get; set; }
    /// <summary>exec start failure: Docker's exit-code class.</summary>
    public int? ExitCode { get; set; }
    /// <summary>exec: the started process.</summary>
    public int? Pid { get; set; }
    public MonitorStatus? State { get; set; }
    public ExecStatus? Exec { get; set; }
    public ExitRecord? Exit { get; set; }
}
