namespace Berth.Runtime.Logging;

/// <summary>What to read from a container's log: the `docker logs` options.</summary>
public sealed class LogReadOptions
{
    public bool Stdout { get; set; } = true;
    public bool Stderr { get; set; } = true;
    /// <summary>Prefix each entry with its time (RFC3339Nano with nine digits) and a space.</summary>
    public bool Timestamps { get; set; }
    /// <summary>Keep reading appended entries until the container has exited and the log is drained.</summary>
    public bool Follow { get; set; }
    /// <summary>Only the last N matching entries (across rotated files); null or negative means all.</summary>
    public int? Tail { get; set; }
    /// <summary>Only entries at or after this time.</summary>
    public DateTimeOffset? Since { get; set; }
    /// <summary>Only entries at or before this time; reading stops at the first later entry.</summary>
    public DateTimeOffset? Until { get; set; }
}
