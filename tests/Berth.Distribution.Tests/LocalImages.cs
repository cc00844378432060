using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Berth.Core;
using Berth.Core.Oci;
using Berth.Images;
using Berth.Storage;

namespace Berth.Distribution.Tests;

/// <summary>A fresh local image store (content, snapshots, metadata) in its own temp dir.</summary>
internal sealed class LocalImages : IDisposable
{
    private readonly TempDir _dir = new("berth-dist-store-");

    public LocalImages()
    {
        Content = new ContentStore(_dir.Sub("content"));
        Snapshots = new SnapshotStore(_dir.Sub("snapshots"));
        Db = new MetadataDb(_dir.Sub("metadata.db"));
        Images = new ImageStore(Content, Snapshots, Db);
    }

    public ContentStore Content { get; }
    public SnapshotStore Snapshots { get; }
    public MetadataDb Db { get; }
    public ImageStore Images { get; }

    public static byte[] Tar(params (string Name, string Content)[] files)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in files)
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = (UnixFileMode)0x1a4,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
        return ms.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return ms.ToArray();
    }

    /// <summary>A two-layer image (a plain tar, then a gzipped one) tagged <paramref name="tag"/>.</summary>
    public ImageRecord MakeImage(string tag, string seed = "a", string arch = "amd64")
    {
        var plain = Tar(("etc/seed", seed), ("etc/arch", arch));
        var gz = Gzip(Tar(("app/data.txt", "payload " + seed + " " + new string('z', 3000))));
        var blobs = new List<(Digest, string)>
        {
            (Content.WriteBytes(plain).Digest, MediaTypes.OciLayer),
            (Content.WriteBytes(gz).Digest, MediaTypes.OciLayerGzip),
        };
        var config = new ImageConfigFile
        {
            Architecture = arch,
            Created = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            Config = new ContainerRunConfig { Cmd = new List<string> { "sh" }, Env = new List<string> { "SEED=" + seed } },
        };
        return Images.Create(config, blobs, tag);
    }

    /// <summary>Reads a file of the image's unpacked layers (topmost first).</summary>
    public string? ReadFile(ImageRecord image, string path)
    {
        foreach (var dir in Images.LowerDirs(image))
        {
            string p = Path.Combine(dir, path);
            if (File.Exists(p)) return File.ReadAllText(p);
        }
        return null;
    }

    public void Dispose()
    {
        Db.Dispose();
        _dir.Dispose();
    }
}
