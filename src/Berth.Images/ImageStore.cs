using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;
using Berth.Storage;

namespace Berth.Images;

/// <summary>Images over the content store (manifests, configs, layer blobs), the snapshot store (unpacked layers) and the metadata DB (records, tags).</summary>
public sealed partial class ImageStore
{
    private const string Kind = "image";
    private readonly object _gate = new();

    public ImageStore(ContentStore content, SnapshotStore snapshots, MetadataDb db)
    {
        Content = content;
        Snapshots = snapshots;
        Db = db;
    }

    public ContentStore Content { get; }
    public SnapshotStore Snapshots { get; }
    public MetadataDb Db { get; }

    public IReadOnlyList<ImageRecord> List()
    {
        var list = new List<ImageRecord>();
        foreach (var (_, json) in Db.List(Kind)) list.Add(Deserialize(json));
        return list;
    }

    /// <summary>Overlay lower dirs of the image, topmost first; empty for an image without layers.</summary>
    public IReadOnlyList<string> LowerDirs(ImageRecord image) =>
        image.ChainId == null ? Array.Empty<string>() : Snapshots.LowerDirs(image.ChainId);

    /// <summary>
    /// Records the image whose manifest (OCI or Docker schema 2) is in the content store, together with its config and layer blobs.
    /// Missing snapshots are unpacked (each layer verified against the config's DiffIDs). <paramref name="tags"/> are references to tag
    /// it with; <paramref name="repoDigest"/> a "name@digest" to remember (for pulls).
    /// </summary>
    public ImageRecord AddFromManifest(Digest manifestDigest, IReadOnlyList<string>? tags = null, string? repoDigest = null)
    {
        var manifest = JsonSerializer.Deserialize(Content.ReadAllBytes(manifestDigest), ImagesJson.Default.ImageManifest)
            ?? throw BerthException.Invalid($"manifest {manifestDigest} is empty");
        var configDigest = Digest.Parse(manifest.Config.Digest);
        var config = ReadConfig(configDigest);
        if (config.RootFs.DiffIds.Count != manifest.Layers.Count)
            throw BerthException.Invalid($"image {configDigest}: config lists {config.RootFs.DiffIds.Count} diff IDs but manifest {manifestDigest} has {manifest.Layers.Count} layers");
        string? chain = null;
        long size = 0;
        for (int i = 0; i < manifest.Layers.Count; i++)
        {
            string diffId = config.RootFs.DiffIds[i];
            string next = SnapshotStore.ChainIdOf(chain, diffId);
            if (!Snapshots.HasLayer(next))
            {
                var blob = Digest.Parse(manifest.Layers[i].Digest);
                using var s = Content.OpenRead(blob);
                Snapshots.ApplyLayer(chain, s, expectedDiffId: diffId, label: blob.ToString());
            }
            size += Snapshots.GetLayer(next).Size;
            chain = next;
        }
        var parsedTags = (tags ?? Array.Empty<string>()).Select(t => ParseTag(t)).ToList();
        lock (_gate)
        {
            ImageRecord record = Get(configDigest.ToString()) ?? new ImageRecord { Id = configDigest.ToString() };
            record.ManifestDigest = manifestDigest.ToString();
            record.Created = config.Created ?? DateTimeOffset.UnixEpoch;
            record.Size = size;
            record.ChainId = chain;
            record.Config = config;
            if (repoDigest != null)
            {
                var rd = ImageReference.Parse(repoDigest, defaultTag: false);
                string familiar = rd.FamiliarRepository + "@" + (rd.Digest?.ToString() ?? manifestDigest.ToString());
                if (!record.RepoDigests.Contains(familiar)) record.RepoDigests.Add(familiar);
            }
            Db.InTransaction(db =>
            {
                Put(db, record);
                foreach (var tag in parsedTags) MoveTag(db, tag, record.Id);
            });
            return Get(record.Id)!;
        }
    }

    /// <summary>
    /// Creates an image from a config and layers already in the content store (plain, gzip or zstd tars), then writes config and
    /// OCI manifest blobs and records the image. DiffIDs already in <c>config.RootFs.DiffIds</c> (e.g. a parent image's) are trusted
    /// for layers whose snapshot exists, so those are not read again; the rest are unpacked and their DiffIDs filled in.
    /// </summary>
    public ImageRecord Create(ImageConfigFile config, IReadOnlyList<(Digest Blob, string MediaType)> layers, string? tag)
    {
        var known = config.RootFs.DiffIds;
        var diffIds = new List<string>();
        string? chain = null;
        for (int i = 0; i < layers.Count; i++)
        {
            var (blob, mediaType) = layers[i];
            string? expected = i < known.Count ? known[i] : mediaType == MediaTypes.OciLayer ? blob.ToString() : null;
            if (expected != null && Snapshots.HasLayer(SnapshotStore.ChainIdOf(chain, expected)))
            {
                diffIds.Add(expected);
                chain = SnapshotStore.ChainIdOf(chain, expected);
                continue;
            }
            using var s = Content.OpenRead(blob);
            var info = Snapshots.ApplyLayer(chain, s, expectedDiffId: i < known.Count ? known[i] : null, label: blob.ToString());
            diffIds.Add(info.DiffId);
            chain = info.ChainId;
        }
        config.RootFs = new RootFs { DiffIds = diffIds };
        byte[] configJson = JsonSerializer.SerializeToUtf8Bytes(config, ImagesJson.Default.ImageConfigFile);
        var (configDigest, configSize) = Content.WriteBytes(configJson);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest.ToString(), Size = configSize },
            Layers = layers.Select(l => new Descriptor { MediaType = l.MediaType, Digest = l.Blob.ToString(), Size = Content.Size(l.Blob) }).ToList(),
        };
        var (manifestDigest, _) = Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, ImagesJson.Default.ImageManifest));
        return AddFromManifest(manifestDigest, tag == null ? null : new[] { tag });
    }

    /// <summary>
    /// Adds one layer (a tar stream, e.g. a container's diff) on top of <paramref name="parent"/> (null for scratch), with
    /// <paramref name="config"/> as the new image's config (its history should already describe the new layer; its rootfs is replaced).
    /// </summary>
    public ImageRecord CreateFromLayer(ImageRecord? parent, ImageConfigFile config, Stream layerTar, string? tag)
    {
        var (blob, _) = Content.WriteAsync(layerTar).GetAwaiter().GetResult();
        var layers = new List<(Digest, string)>();
        if (parent != null) layers.AddRange(LayerBlobs(parent));
        layers.Add((blob, LayerMediaType(blob)));
        config.RootFs = new RootFs { DiffIds = parent?.Config.RootFs.DiffIds.ToList() ?? new List<string>() };
        return Create(config, layers, tag);
    }

    /// <summary>`docker commit` and build steps: the overlay upper dir of a container becomes a new layer on <paramref name="parent"/>.</summary>
    public ImageRecord CommitUpperDir(ImageRecord? parent, string upperDir, ImageConfigFile config, string? tag)
    {
        string tmp = Path.Combine(Content.Root, "ingest", "diff-" + Guid.NewGuid().ToString("N"));
        using var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        Snapshots.WriteDiff(upperDir, fs);
        fs.Position = 0;
        return CreateFromLayer(parent, config, fs, tag);
    }

    /// <summary>The layer blobs of an image's manifest with their media types, bottom first.</summary>
    public IReadOnlyList<(Digest Blob, string MediaType)> LayerBlobs(ImageRecord image)
    {
        var manifest = ReadManifest(Digest.Parse(image.ManifestDigest));
        return manifest.Layers.Select(l => (Digest.Parse(l.Digest), l.MediaType)).ToList();
    }

    public ImageManifest ReadManifest(Digest digest) =>
        JsonSerializer.Deserialize(Content.ReadAllBytes(digest), ImagesJson.Default.ImageManifest)
            ?? throw BerthException.Invalid($"manifest {digest} is empty");

    public ImageConfigFile ReadConfig(Digest digest)
    {
        try
        {
            return JsonSerializer.Deserialize(Content.ReadAllBytes(digest), ImagesJson.Default.ImageConfigFile)
                ?? throw BerthException.Invalid($"image config {digest} is empty");
        }
        catch (JsonException ex)
        {
            throw BerthException.Invalid($"image config {digest} is not valid JSON: {ex.Message}");
        }
    }

    /// <summary>The OCI media type for a stored layer blob, by its magic bytes.</summary>
    public string LayerMediaType(Digest blob)
    {
        using var s = Content.OpenRead(blob);
        Span<byte> m = stackalloc byte[4];
        int n = s.ReadAtLeast(m, 4, throwOnEndOfStream: false);
        if (n >= 2 && m[0] == 0x1f && m[1] == 0x8b) return MediaTypes.OciLayerGzip;
        if (n >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd) return MediaTypes.OciLayerZstd;
        return MediaTypes.OciLayer;
    }

    /// <summary>Gives <paramref name="target"/> (a new tag) to the image <paramref name="source"/> resolves to.</summary>
    public void Tag(string source, string target)
    {
        var image = Resolve(source);
        var tag = ParseTag(target);
        lock (_gate) Db.InTransaction(db => MoveTag(db, tag, image.Id));
    }

    private static string ParseTag(string text)
    {
        if (!ImageReference.TryParse(text, defaultTag: true, out var r, out var error))
            throw BerthException.Invalid($"invalid reference format \"{text}\": {error}");
        if (r!.Digest != null) throw BerthException.Invalid($"invalid tag \"{text}\": refusing to create a tag with a digest reference");
        return r.FamiliarName;
    }

    /// <summary>Takes the tag from whichever image holds it and gives it to <paramref name="id"/>.</summary>
    private void MoveTag(MetadataDb db, string familiarTag, string id)
    {
        foreach (var other in List())
        {
            if (other.Id != id && other.RepoTags.Remove(familiarTag)) Put(db, other);
        }
        var image = Get(id) ?? throw BerthException.NotFound($"No such image: {id}");
        if (!image.RepoTags.Contains(familiarTag))
        {
            image.RepoTags.Add(familiarTag);
            Put(db, image);
        }
    }

    internal ImageRecord? Get(string id)
    {
        string? json = Db.Get(Kind, id);
        return json == null ? null : Deserialize(json);
    }

    private static void Put(MetadataDb db, ImageRecord record) =>
        db.Put(Kind, record.Id, JsonSerializer.Serialize(record, ImagesJson.Default.ImageRecord));

    private static ImageRecord Deserialize(string json) =>
        JsonSerializer.Deserialize(json, ImagesJson.Default.ImageRecord) ?? throw BerthException.Internal("empty image record");
}
