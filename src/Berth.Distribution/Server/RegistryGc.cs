using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>What one <see cref="RegistryGc.Run"/> found and removed.</summary>
public sealed record RegistryGcResult(int BlobsKept, int BlobsRemoved, long BytesFreed, int UploadsRemoved);

/// <summary>
/// Mark-and-sweep over a registry root: blobs that no manifest of any repository references (the manifests themselves,
/// their configs and layers) are removed. Safe beside a running server: only blobs last written or linked before the
/// mark began are swept, and never one that an upload is finishing.
/// </summary>
public static class RegistryGc
{
    /// <summary>Default age after which an unfinished upload session is abandoned.</summary>
    public static readonly TimeSpan DefaultUploadExpiry = TimeSpan.FromHours(24);

    public static RegistryGcResult Run(string root, TimeSpan? uploadExpiry = null)
    {
        var storage = new RegistryStorage(root);
        int uploadsRemoved = storage.PurgeUploads(DateTime.UtcNow - (uploadExpiry ?? DefaultUploadExpiry));
        // A second of slack covers file systems with coarse timestamps.
        var markStart = DateTime.UtcNow.AddSeconds(-1);
        var marked = new HashSet<Digest>();
        var repos = storage.Repositories();
        foreach (var repo in repos)
            foreach (var m in storage.Manifests(repo))
                Mark(storage, m, marked);
        foreach (var d in storage.FinishingUploads()) marked.Add(d);

        int removed = 0;
        long freed = 0;
        var gone = new HashSet<Digest>();
        foreach (var d in storage.Blobs.List().ToList())
        {
            if (marked.Contains(d)) continue;
            var info = new FileInfo(storage.Blobs.BlobPath(d));
            if (!info.Exists || info.LastWriteTimeUtc >= markStart) continue;
            long size = info.Length;
            storage.Blobs.Delete(d);
            gone.Add(d);
            removed++;
            freed += size;
        }
        // Links to swept blobs would make a repository claim content it no longer has.
        foreach (var repo in repos)
            foreach (var d in storage.LinkedBlobs(repo).ToList())
                if (gone.Contains(d)) storage.UnlinkBlob(repo, d);
        return new RegistryGcResult(marked.Count, removed, freed, uploadsRemoved);
    }

    private static void Mark(RegistryStorage storage, Digest manifest, HashSet<Digest> marked)
    {
        if (!marked.Add(manifest) || !storage.Blobs.Has(manifest)) return;
        byte[] body;
        try { body = storage.Blobs.ReadAllBytes(manifest); }
        catch (BerthException) { return; }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return;
            if (root.TryGetProperty("config", out var config)) MarkDescriptor(config, marked);
            foreach (var name in new[] { "layers", "manifests" })
                if (root.TryGetProperty(name, out var arr) && arr.ValueKind == JsonValueKind.Array)
                    foreach (var item in arr.EnumerateArray())
                        MarkDescriptor(item, marked);
        }
        catch (JsonException)
        {
            // A manifest that is not JSON still keeps itself; it references nothing.
        }
    }

    private static void MarkDescriptor(JsonElement descriptor, HashSet<Digest> marked)
    {
        if (descriptor.ValueKind == JsonValueKind.Object && descriptor.TryGetProperty("digest", out var dg)
            && dg.ValueKind == JsonValueKind.String && Digest.TryParse(dg.GetString(), out var d))
            marked.Add(d);
    }
}
