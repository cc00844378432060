using System.Formats.Tar;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>`docker save` and `docker load`: a tar that is both a docker-archive (manifest.json) and an OCI image layout (index.json), as Docker 25+ writes.</summary>
public sealed partial class ImageArchive
{
    private static readonly DateTimeOffset EntryTime = DateTimeOffset.UnixEpoch;
    private readonly ImageStore _store;

    public ImageArchive(ImageStore store) => _store = store;

    /// <summary>Writes the images named by <paramref name="refsOrIds"/>; names given are kept as tags, images given by ID get none.</summary>
    public void Save(IReadOnlyList<string> refsOrIds, Stream output)
    {
        var images = new List<(ImageRecord Image, List<string> Tags)>();
        foreach (var text in refsOrIds)
        {
            var image = _store.TryResolve(text, out bool byId) ?? throw BerthException.NotFound($"No such image: {text}");
            var slot = images.FindIndex(i => i.Image.Id == image.Id);
            if (slot < 0)
            {
                images.Add((image, new List<string>()));
                slot = images.Count - 1;
            }
            if (!byId && ImageReference.TryParse(text, true, out var r, out _) && r!.Digest == null && !images[slot].Tags.Contains(r.FamiliarName))
                images[slot].Tags.Add(r.FamiliarName);
        }

        var blobs = new List<Digest>();
        var dockerManifest = new List<DockerArchiveManifestEntry>();
        var index = new ImageIndex { MediaType = MediaTypes.OciIndex };
        foreach (var (image, tags) in images)
        {
            var manifestDigest = Digest.Parse(image.ManifestDigest);
            var manifest = _store.ReadManifest(manifestDigest);
            var layerDigests = manifest.Layers.Select(l => Digest.Parse(l.Digest)).ToList();
            blobs.Add(Digest.Parse(manifest.Config.Digest));
            blobs.AddRange(layerDigests);
            blobs.Add(manifestDigest);
            dockerManifest.Add(new DockerArchiveManifestEntry
            {
                Config = BlobName(Digest.Parse(manifest.Config.Digest)),
                RepoTags = tags.Count > 0 ? tags : null,
                Layers = layerDigests.Select(BlobName).ToList(),
            });
            var descriptor = new Func<Dictionary<string, string>?, Descriptor>(a => new Descriptor
            {
                MediaType = manifest.MediaType ?? MediaTypes.OciManifest,
                Digest = manifestDigest.ToString(),
                Size = _store.Content.Size(manifestDigest),
                Annotations = a,
            });
            if (tags.Count == 0) index.Manifests.Add(descriptor(null));
            foreach (var tag in tags)
            {
                var r = ImageReference.Parse(tag);
                index.Manifests.Add(descriptor(new Dictionary<string, string>
                {
                    ["io.containerd.image.name"] = r.ToString(),
                    ["org.opencontainers.image.ref.name"] = r.Tag ?? "latest",
                }));
            }
        }

        using var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        WriteDir(writer, "blobs/");
        WriteDir(writer, "blobs/sha256/");
        var written = new HashSet<Digest>();
        foreach (var blob in blobs)
        {
            if (!written.Add(blob)) continue;
            using var s = _store.Content.OpenRead(blob);
            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, BlobName(blob)) { Mode = (UnixFileMode)0x1a4, ModificationTime = EntryTime, DataStream = s });
        }
        WriteFile(writer, "index.json", JsonSerializer.SerializeToUtf8Bytes(index, ImagesJson.Default.ImageIndex));
        WriteFile(writer, "manifest.json", JsonSerializer.SerializeToUtf8Bytes(dockerManifest, ImagesJson.Default.ListDockerArchiveManifestEntry));
        WriteFile(writer, "oci-layout", JsonSerializer.SerializeToUtf8Bytes(new OciLayout(), ImagesJson.Default.OciLayout));
    }

    private static string BlobName(Digest d) => "blobs/" + d.Algorithm + "/" + d.Hex;

    private static void WriteDir(TarWriter w, string name) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ed, ModificationTime = EntryTime });

    private static void WriteFile(TarWriter w, string name, byte[] data) =>
        w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1a4, ModificationTime = EntryTime, DataStream = new MemoryStream(data) });
}
