using Berth.Images;
using Berth.Storage;

namespace Berth.Engine.Build;

/// <summary>An image's filesystem mounted (overlay on a fresh writable layer) for COPY, ADD and WORKDIR to read or change; the upper dir is the step's layer.</summary>
public sealed class ImageRoot : IDisposable
{
    private readonly SnapshotStore _snapshots;
    private readonly string _key;
    private bool _mounted;

    private ImageRoot(SnapshotStore snapshots, string key, RwLayer rw, string mountDir)
    {
        _snapshots = snapshots;
        _key = key;
        Layer = rw;
        Path = mountDir;
    }

    /// <summary>The merged view on the host.</summary>
    public string Path { get; }

    public RwLayer Layer { get; }

    /// <summary>Mounts <paramref name="image"/> (null: an empty filesystem) below <paramref name="tmpDir"/>.</summary>
    public static ImageRoot Mount(SnapshotStore snapshots, ImageRecord? image, string tmpDir)
    {
        string key = "build-" + Guid.NewGuid().ToString("N");
        var rw = snapshots.CreateRw(key, image?.ChainId);
        string dir = System.IO.Path.Combine(tmpDir, "mnt-" + key);
        var root = new ImageRoot(snapshots, key, rw, dir);
        try
        {
            Directory.CreateDirectory(dir);
            SnapshotStore.Mount(rw, dir);
            root._mounted = true;
            return root;
        }
        catch
        {
            root.Dispose();
            throw;
        }
    }

    /// <summary>Unmounts, so the upper dir can be committed as it is.</summary>
    public void Unmount()
    {
        if (!_mounted) return;
        SnapshotStore.Unmount(Path);
        _mounted = false;
    }

    public void Dispose()
    {
        try
        {
            Unmount();
            if (Directory.Exists(Path)) Directory.Delete(Path);
        }
        finally
        {
            _snapshots.RemoveRw(_key);
        }
    }
}
