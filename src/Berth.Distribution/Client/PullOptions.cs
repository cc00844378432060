namespace Berth.Distribution;

/// <summary>Settings of one pull.</summary>
public sealed class PullOptions
{
    /// <summary><c>os/arch[/variant]</c> to choose from an index; null means linux/amd64.</summary>
    public string? Platform { get; set; }

    /// <summary>How many layers download at once.</summary>
    public int MaxConcurrentDownloads { get; set; } = 3;

    /// <summary>Blobs this pull added to the content store (so a failed pull can take them back out).</summary>
    public System.Collections.Concurrent.ConcurrentBag<Berth.Core.Digest> Written { get; } = new();

    /// <summary>Layer snapshots (chain IDs) this pull unpacked, parents first.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Unpacked { get; } = new();
}

/// <summary>One progress event of a pull, shaped like Docker's JSON progress lines.</summary>
public sealed record PullProgress(string Id, string Status, long Current = 0, long Total = 0);

/// <summary>One progress event of a push, shaped like Docker's JSON progress lines.</summary>
public sealed record PushProgress(string Id, string Status, long Current = 0, long Total = 0);
