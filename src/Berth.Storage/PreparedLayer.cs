namespace Berth.Storage;

/// <summary>A layer unpacked into the snapshot store's temp dir and checked, waiting for <see cref="SnapshotStore.Commit"/>.
/// Disposing it before the commit removes the temp dir.</summary>
public sealed class PreparedLayer : IDisposable
{
    private string? _dir;

    internal PreparedLayer(string dir, string diffId, long size)
    {
        _dir = dir;
        DiffId = diffId;
        Size = size;
    }

    /// <summary>The digest of the uncompressed tar.</summary>
    public string DiffId { get; }

    /// <summary>Bytes of file content unpacked.</summary>
    public long Size { get; }

    /// <summary>Hands the temp dir over to the commit; the layer can be committed once.</summary>
    internal string TakeDir() => Interlocked.Exchange(ref _dir, null) ?? throw new InvalidOperationException("layer already committed or disposed");

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _dir, null) is { } dir)
            SnapshotStore.RemoveTree(dir);
    }
}
