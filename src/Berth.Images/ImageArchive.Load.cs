using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>`docker load`: docker-archive (manifest.json, including old layer.tar dirs) or OCI image layout (index.json).</summary>
public sealed partial class ImageArchive
{
    /// <summary>Loads every image of the archive, verifying each blob; returns Docker's "Loaded image: …" / "Loaded image ID: …" lines.</summary>
    public IReadOnlyList<string> Load(Stream input)
    {
        var before = _store.Content.List().ToHashSet();
        var messages = new List<string>();
        try
        {
            using var staging = ArchiveStaging.Read(input, Path.Combine(_store.Content.Root, "ingest"));
            if (staging.Has("index.json")) LoadOci(staging, messages);
            else if (staging.Has("manifest.json")) LoadDockerArchive(staging, messages);
            else throw BerthException.Invalid("image archive has neither manifest.json nor index.json");
            return messages;
        }
        catch when (messages.Count == 0)
        {
            // Nothing was recorded: drop the blobs this load brought in.
            var used = _store.List().SelectMany(i => new[] { i.Id, i.ManifestDigest }).ToHashSet();
            foreach (var d in _store.Content.List())
                if (!before.Contains(d) && !used.Contains(d.ToString())) _store.Content.Delete(d);
            throw;
        }
    }

    private void LoadDockerArchive(ArchiveStaging staging, List<string> messages)
    {
        List<DockerArchiveManifestEntry> entries;
        try
        {
            entries = JsonSerializer.Deserialize(staging.ReadAll("manifest.json"), ImagesJson.Default.ListDockerArchiveManifestEntry) ?? new();
        }
        catch (JsonException ex)
        {
            throw BerthException.Invalid($"image archive manifest.json is not valid: {ex.Message}");
        }
        foreach (var entry in entries)
        {
            var (configDigest, configSize) = StoreBlob(staging, entry.Config, null);
            var manifest = new ImageManifest
            {
                MediaType = MediaTypes.OciManifest,
                Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configSize },
            };
            foreach (var layer in entry.Layers)
            {
                var (d, size) = StoreBlob(staging, layer, null);
                manifest.Layers.Add(new Descriptor { MediaType = _store.LayerMediaType(d), Digest = d.ToString(), Size = size });
            }
            var (manifestDigest, _) = _store.Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, ImagesJson.Default.ImageManifest));
            var tags = (entry.RepoTags ?? new List<string>())
                .Select(t => ImageStore.FamiliarName(t) ?? throw BerthException.Invalid($"image archive manifest.json has an invalid tag \"{t}\"")).ToList();
            ReportRenames(tags, configDigest.ToString(), messages);
            var image = _store.AddFromManifest(manifestDigest, tags);
            Report(image, tags, messages);
        }
    }

    private void LoadOci(ArchiveStaging staging, List<string> messages)
    {
        ImageIndex index = ParseJson(staging.ReadAll("index.json"), ImagesJson.Default.ImageIndex, "index.json");
        foreach (var desc in index.Manifests)
        {
            var manifestDesc = PickManifest(staging, desc);
            var manifestDigest = Digest.Parse(manifestDesc.Digest);
            var manifest = ParseJson(_store.Content.ReadAllBytes(manifestDigest), ImagesJson.Default.ImageManifest, manifestDesc.Digest);
            StoreBlob(staging, BlobPath(manifest.Config.Digest), manifest.Config);
            foreach (var layer in manifest.Layers) StoreBlob(staging, BlobPath(layer.Digest), layer);
            var tags = new List<string>();
            string? name = desc.Annotations?.GetValueOrDefault("io.containerd.image.name");
            if (name == null && desc.Annotations?.GetValueOrDefault("org.opencontainers.image.ref.name") is { } refName &&
                (refName.Contains('/') || refName.Contains(':')) && ImageReference.TryParse(refName, true, out _, out _))
                name = refName;
            if (name != null && ImageReference.TryParse(name, true, out var r, out _) && r!.Digest == null) tags.Add(r.FamiliarName);
            ReportRenames(tags, manifest.Config.Digest, messages);
            var image = _store.AddFromManifest(manifestDigest, tags);
            Report(image, tags, messages);
        }
    }

    /// <summary>Stores the descriptor's blob; for an index, picks the manifest for this machine's platform (linux/amd64 on x86-64).</summary>
    private Descriptor PickManifest(ArchiveStaging staging, Descriptor desc)
    {
        for (int depth = 0; depth < 4; depth++)
        {
            StoreBlob(staging, BlobPath(desc.Digest), desc);
            if (desc.MediaType is not (MediaTypes.OciIndex or MediaTypes.DockerManifestList)) return desc;
            var index = ParseJson(_store.Content.ReadAllBytes(Digest.Parse(desc.Digest)), ImagesJson.Default.ImageIndex, desc.Digest);
            string arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
            desc = index.Manifests.FirstOrDefault(m => m.Platform is { Os: "linux" } p && p.Architecture == arch)
                ?? throw BerthException.NotFound($"image index {desc.Digest} has no manifest for linux/{arch}");
        }
        throw BerthException.Invalid("image indexes nested too deeply");
    }

    private static string BlobPath(string digest)
    {
        var d = Digest.Parse(digest);
        return "blobs/" + d.Algorithm + "/" + d.Hex;
    }

    /// <summary>Copies one archive file into the content store, verified against the descriptor or, for blobs/sha256/&lt;hex&gt; paths, the name.</summary>
    private (Digest, long) StoreBlob(ArchiveStaging staging, string path, Descriptor? desc)
    {
        Digest? expected = desc != null ? Digest.Parse(desc.Digest) : null;
        if (expected == null && path.StartsWith("blobs/sha256/", StringComparison.Ordinal) && Digest.TryParse("sha256:" + path[13..], out var named))
            expected = named;
        using var s = staging.Open(path);
        try
        {
            return _store.Content.WriteAsync(s, expected, desc?.Size).GetAwaiter().GetResult();
        }
        catch (BerthException ex) when (ex.Kind == ErrorKind.InvalidArgument)
        {
            throw BerthException.Invalid($"image archive file \"{path}\": {ex.Message}");
        }
    }

    private static T ParseJson<T>(byte[] data, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(data, info) ?? throw BerthException.Invalid($"{what} is empty");
        }
        catch (JsonException ex)
        {
            throw BerthException.Invalid($"{what} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>Docker's notice when a loaded tag takes over a name another image had.</summary>
    private void ReportRenames(List<string> tags, string newId, List<string> messages)
    {
        foreach (var tag in tags)
            if (_store.TryResolve(tag) is { } old && old.Id != newId && old.RepoTags.Contains(tag))
                messages.Add($"The image {tag} already exists, renaming the old one with ID {old.Id} to empty string");
    }

    private static void Report(ImageRecord image, List<string> tags, List<string> messages)
    {
        if (tags.Count == 0) messages.Add("Loaded image ID: " + image.Id);
        foreach (var t in tags) messages.Add("Loaded image: " + t);
    }
}
