using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;
using Berth.Images;

namespace Berth.Distribution;

/// <summary>Pushes a local image: layers (skipping those present, mounting from sibling repositories when possible), config, then the manifest.</summary>
public sealed class ImagePusher
{
    private readonly RegistryClient _client;

    public ImagePusher(RegistryClient client) => _client = client;

    /// <summary>Pushes the image tagged <paramref name="reference"/> to it (as <c>docker push</c> does); returns the manifest digest.</summary>
    public Task<Digest> PushAsync(ImageStore store, ImageReference reference, IProgress<PushProgress>? progress = null, CancellationToken ct = default) =>
        PushAsync(store, reference.FamiliarName, reference, progress, ct);

    /// <summary>Pushes the local image <paramref name="source"/> (name or ID) to <paramref name="target"/>.</summary>
    public async Task<Digest> PushAsync(ImageStore store, string source, ImageReference target, IProgress<PushProgress>? progress = null, CancellationToken ct = default)
    {
        var image = store.Resolve(source);
        var manifestDigest = Digest.Parse(image.ManifestDigest);
        byte[] body = store.Content.ReadAllBytes(manifestDigest);
        string mediaType = RegistryClient.DeclaredMediaType(body) ?? MediaTypes.OciManifest;
        var manifest = JsonSerializer.Deserialize(body, OciJson.Default.ImageManifest)
            ?? throw BerthException.Invalid($"manifest {manifestDigest} of {source} is empty");
        string registry = target.Registry, repository = target.Path;
        var mountFrom = image.RepoDigests.Concat(image.RepoTags)
            .Select(n => ImageReference.TryParse(n, false, out var r, out _) ? r : null)
            .Where(r => r != null && r.Registry == registry && r.Path != repository)
            .Select(r => r!.Path).Distinct().ToList();
        progress?.Report(new PushProgress(target.Tag ?? "", "The push refers to repository [" + target.Repository + "]"));

        using var slots = new SemaphoreSlim(3);
        var uploads = manifest.Layers
            .Where(l => !(l.MediaType == MediaTypes.DockerForeignLayerGzip && l.Urls is { Count: > 0 }))
            .Select(l => PushBlobAsync(store, registry, repository, l, mountFrom, slots, progress, ct)).ToList();
        await Task.WhenAll(uploads).ConfigureAwait(false);
        await PushBlobAsync(store, registry, repository, manifest.Config, Array.Empty<string>(), slots, null, ct).ConfigureAwait(false);

        string reference = target.Tag ?? (target.Digest?.ToString() ?? ImageReference.DefaultTag);
        var pushed = await _client.PutManifestAsync(registry, repository, reference, body, mediaType, ct).ConfigureAwait(false);
        store.AddFromManifest(manifestDigest, null, $"{target.Repository}@{pushed}");
        progress?.Report(new PushProgress("", $"{reference}: digest: {pushed} size: {body.Length}"));
        return pushed;
    }

    private async Task PushBlobAsync(ImageStore store, string registry, string repository, Descriptor descriptor, IReadOnlyList<string> mountFrom,
        SemaphoreSlim slots, IProgress<PushProgress>? progress, CancellationToken ct)
    {
        var digest = Digest.Parse(descriptor.Digest);
        string id = digest.Short;
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (await _client.BlobExistsAsync(registry, repository, digest, ct).ConfigureAwait(false))
            {
                progress?.Report(new PushProgress(id, "Layer already exists"));
                return;
            }
            foreach (var from in mountFrom)
            {
                if (await _client.MountBlobAsync(registry, repository, digest, from, ct).ConfigureAwait(false))
                {
                    progress?.Report(new PushProgress(id, "Mounted from " + from));
                    return;
                }
            }
            long size = store.Content.Size(digest);
            progress?.Report(new PushProgress(id, "Preparing"));
            var bytes = progress == null ? null : new Progress<long>(n => progress.Report(new PushProgress(id, "Pushing", n, size)));
            await _client.UploadBlobAsync(registry, repository, digest, size, () => store.Content.OpenRead(digest), bytes, ct).ConfigureAwait(false);
            progress?.Report(new PushProgress(id, "Pushed"));
        }
        finally
        {
            slots.Release();
        }
    }
}
