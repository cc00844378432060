namespace Berth.Runtime.Monitor;

/// <summary>The reply to `exec-inspect`: one exec'ed process.</summary>
public sealed class ExecStatus
{
    public bool Running { get; set; }
    /// <summary>Null while running.</summary>
    public int? ExitCode { get; set; }
    public int Pid { get; set; }
}
