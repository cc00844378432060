namespace Berth.Runtime.Monitor;

/// <summary>exit.json: how the container ended (or failed to start); written by the monitor before it exits.</summary>
public sealed class ExitRecord
{
    public const string FileName = "exit.json";

    /// <summary>The exit status, 128+signal when killed, or 125/126/127 when the start failed.</summary>
    public int ExitCode { get; set; }
    /// <summary>The signal that killed the process; 0 when it exited.</summary>
    public int Signal { get; set; }
    public bool OOMKilled { get; set; }
    public DateTimeOffset FinishedAt { get; set; }
    /// <summary>The start failure or monitor error; null on a normal exit.</summary>
    public string? Error { get; set; }
}
