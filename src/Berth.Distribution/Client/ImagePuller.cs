using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;
using Berth.Images;
using Berth.Storage;

namespace Berth.Distribution;

/// <summary>Pulls an image: manifest (or index → platform), config, then layers downloaded in parallel and unpacked in order as they arrive.</summary>
public sealed class ImagePuller
{
    private readonly RegistryClient _client;

    public ImagePuller(RegistryClient client) => _client = client;

    public async Task<ImageRecord> PullAsync(ImageStore store, ImageReference reference, PullOptions? options = null, IProgress<PullProgress>? progress = null, CancellationToken ct = default)
    {
        options ??= new PullOptions();
        string registry = reference.Registry, repository = reference.Path;
        string wanted = reference.Digest?.ToString() ?? reference.Tag ?? ImageReference.DefaultTag;
        var top = await _client.GetManifestAsync(registry, repository, wanted, ct).ConfigureAwait(false);
        // Reported only once the manifest exists, so a daemon can still answer a missing image with an HTTP error.
        progress?.Report(new PullProgress(reference.Tag ?? wanted, "Pulling from " + repository));
        var image = top;
        if (top.IsIndex)
        {
            var index = JsonSerializer.Deserialize(top.Body, OciJson.Default.ImageIndex)
                ?? throw BerthException.Invalid($"index {top.Digest} of {reference} is empty");
            var chosen = PlatformSpec.Parse(options.Platform).Select(index, reference.ToString());
            image = await _client.GetManifestAsync(registry, repository, chosen.Digest, ct).ConfigureAwait(false);
            if (image.IsIndex) throw BerthException.Invalid($"index {top.Digest} of {reference} points at another index {image.Digest}; nested indexes are not supported");
            if (chosen.Size > 0 && image.Body.Length != chosen.Size)
                throw BerthException.Invalid($"index {top.Digest} of {reference}: manifest {image.Digest} is {image.Body.Length} bytes, the index says {chosen.Size}");
            Write(store, top.Body, options);
        }
        var manifest = JsonSerializer.Deserialize(image.Body, OciJson.Default.ImageManifest)
            ?? throw BerthException.Invalid($"manifest {image.Digest} of {reference} is empty");
        var configDigest = ParseDescriptor(manifest.Config, reference);
        if (!store.Content.Has(configDigest))
        {
            await _client.DownloadBlobAsync(registry, repository, configDigest, manifest.Config.Size, store.Content, null, ct).ConfigureAwait(false);
            options.Written.Add(configDigest);
        }
        var config = store.ReadConfig(configDigest);
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
            throw BerthException.Invalid($"image {reference}: config {configDigest} lists {config.RootFs.DiffIds.Count} diff IDs for {manifest.Layers.Count} layers");

        await FetchAndApplyLayersAsync(store, registry, repository, manifest, config, options, progress, reference, ct).ConfigureAwait(false);

        Write(store, image.Body, options);
        var tags = reference.Tag != null ? new[] { reference.WithTag(reference.Tag).ToString() } : null;
        var record = store.AddFromManifest(image.Digest, tags, $"{reference.Repository}@{top.Digest}");
        progress?.Report(new PullProgress("", "Digest: " + top.Digest));
        return record;
    }

    private async Task FetchAndApplyLayersAsync(ImageStore store, string registry, string repository, ImageManifest manifest, ImageConfigFile config,
        PullOptions options, IProgress<PullProgress>? progress, ImageReference reference, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(Math.Max(1, options.MaxConcurrentDownloads));
        using var unpackSlots = new SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
        var digests = manifest.Layers.Select(l => ParseDescriptor(l, reference)).ToList();
        var downloads = manifest.Layers.Select((layer, i) => DownloadLayerAsync(store.Content, registry, repository, digests[i], layer.Size, slots, options, progress, cts.Token)).ToList();
        // Chain IDs follow from the config's diff IDs, so which layers are missing is known before any is unpacked.
        var chains = new List<string>();
        for (int i = 0; i < digests.Count; i++)
            chains.Add(SnapshotStore.ChainIdOf(i == 0 ? null : chains[i - 1], config.RootFs.DiffIds[i]));
        // Each missing layer is unpacked as soon as it is downloaded, beside the others (a layer's files do not depend on its
        // parent's); they are then committed in chain order.
        var prepared = new List<Task<PreparedLayer>?>();
        for (int i = 0; i < digests.Count; i++)
            prepared.Add(store.Snapshots.HasLayer(chains[i]) ? null : PrepareAsync(i));
        try
        {
            for (int i = 0; i < digests.Count; i++)
            {
                await downloads[i].ConfigureAwait(false);
                if (prepared[i] is { } task)
                {
                    using var layer = await task.ConfigureAwait(false);
                    store.Snapshots.Commit(i == 0 ? null : chains[i - 1], layer);
                    options.Unpacked.Enqueue(chains[i]);
                }
                progress?.Report(new PullProgress(digests[i].Short, "Pull complete"));
            }
        }
        catch
        {
            cts.Cancel();
            try { await Task.WhenAll(downloads).ConfigureAwait(false); }
            catch (Exception) when (cts.IsCancellationRequested)
            {
                // The first failure is the one to report.
            }
            foreach (var task in prepared)
            {
                if (task == null) continue;
                try { (await task.ConfigureAwait(false)).Dispose(); }
                catch (Exception) when (cts.IsCancellationRequested)
                {
                    // Failed or cancelled: it left nothing behind.
                }
            }
            throw;
        }

        async Task<PreparedLayer> PrepareAsync(int i)
        {
            await downloads[i].ConfigureAwait(false);
            await unpackSlots.WaitAsync(cts.Token).ConfigureAwait(false);
            try
            {
                cts.Token.ThrowIfCancellationRequested();
                var blob = digests[i];
                progress?.Report(new PullProgress(blob.Short, "Extracting", 0, manifest.Layers[i].Size));
                // Unpacking is synchronous I/O; it runs on the thread pool while later layers keep downloading.
                return await Task.Run(() =>
                {
                    using var s = store.Content.OpenRead(blob);
                    return store.Snapshots.PrepareLayer(s, expectedDiffId: config.RootFs.DiffIds[i], label: blob.ToString());
                }, cts.Token).ConfigureAwait(false);
            }
            finally
            {
                unpackSlots.Release();
            }
        }
    }

    private async Task DownloadLayerAsync(ContentStore content, string registry, string repository, Digest digest, long size, SemaphoreSlim slots,
        PullOptions options, IProgress<PullProgress>? progress, CancellationToken ct)
    {
        string id = digest.Short;
        if (content.Has(digest))
        {
            progress?.Report(new PullProgress(id, "Already exists"));
            return;
        }
        progress?.Report(new PullProgress(id, "Pulling fs layer"));
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var bytes = progress == null ? null : new Progress<long>(n => progress.Report(new PullProgress(id, "Downloading", n, size)));
            await _client.DownloadBlobAsync(registry, repository, digest, size, content, bytes, ct).ConfigureAwait(false);
            options.Written.Add(digest);
        }
        finally
        {
            slots.Release();
        }
        progress?.Report(new PullProgress(id, "Download complete"));
    }

    private static void Write(ImageStore store, byte[] body, PullOptions options)
    {
        var digest = Digest.Sha256(body);
        if (store.Content.Has(digest)) return;
        store.Content.WriteBytes(body);
        options.Written.Add(digest);
    }

    private static Digest ParseDescriptor(Descriptor d, ImageReference reference)
    {
        if (!Digest.TryParse(d.Digest, out var digest) || digest.Algorithm != "sha256")
            throw BerthException.Invalid($"image {reference}: descriptor with invalid or unsupported digest \"{d.Digest}\"");
        return digest;
    }
}
