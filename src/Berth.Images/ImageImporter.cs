using System.Runtime.InteropServices;
using Berth.Core;
using Berth.Core.Oci;
using Berth.Storage;

namespace Berth.Images;

/// <summary>`docker import`: a rootfs tarball (plain, gzip or zstd) becomes a one-layer image.</summary>
public sealed class ImageImporter
{
    private readonly ImageStore _store;

    public ImageImporter(ImageStore store) => _store = store;

    /// <summary>
    /// Imports <paramref name="tarball"/>. The tar first goes through the hostile-tar-safe applier and the stored layer is written
    /// back from that unpacked tree, so the layer kept is always safe to apply. <paramref name="changes"/> are Dockerfile-style lines.
    /// </summary>
    public ImageRecord Import(Stream tarball, IReadOnlyList<string> changes, string? message, string? tag)
    {
        var run = new ContainerRunConfig();
        ImageChanges.Apply(run, changes); // bad changes fail before any work
        var now = DateTimeOffset.UtcNow;
        var raw = _store.Snapshots.ApplyLayer(null, tarball, label: "import");
        string tmp = Path.Combine(_store.Content.Root, "ingest", "import-" + Guid.NewGuid().ToString("N"));
        try
        {
            Digest blob;
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose))
            {
                DirectoryTarWriter.Write(_store.Snapshots.LayerFsDir(raw.ChainId), fs, overlayUpper: true);
                fs.Position = 0;
                (blob, _) = _store.Content.WriteAsync(fs).GetAwaiter().GetResult();
            }
            var config = new ImageConfigFile
            {
                Created = now,
                Architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64",
                Os = "linux",
                Config = run,
                History = new List<HistoryEntry> { new() { Created = now, CreatedBy = "", Comment = string.IsNullOrEmpty(message) ? "Imported from -" : message } },
            };
            var image = _store.Create(config, new[] { (blob, MediaTypes.OciLayer) }, tag);
            return image;
        }
        finally
        {
            bool used = _store.List().Any(i => i.ChainId != null && _store.Snapshots.Chain(i.ChainId).Contains(raw.ChainId));
            if (!used && !_store.Snapshots.ChainsUsedByRw().Contains(raw.ChainId))
                _store.Snapshots.RemoveLayer(raw.ChainId);
        }
    }
}
