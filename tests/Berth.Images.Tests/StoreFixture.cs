using System.Formats.Tar;
using System.Text;
using Berth.Core;
using Berth.Core.Oci;
using Berth.Storage;

namespace Berth.Images.Tests;

/// <summary>A fresh image store in its own temp dir, removed on dispose.</summary>
public sealed class StoreFixture : IDisposable
{
    public StoreFixture()
    {
        Root = Path.Combine("/tmp", "berth-images-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Content = new ContentStore(Path.Combine(Root, "content"));
        Snapshots = new SnapshotStore(Path.Combine(Root, "snapshots"));
        Db = new MetadataDb(Path.Combine(Root, "metadata.db"));
        Images = new ImageStore(Content, Snapshots, Db);
    }

    public string Root { get; }
    public ContentStore Content { get; }
    public SnapshotStore Snapshots { get; }
    public MetadataDb Db { get; }
    public ImageStore Images { get; }

    public static byte[] Tar(params (string Name, string Content)[] files)
    {
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var (name, content) in files)
            {
                if (name.EndsWith('/'))
                    w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0x1ed, ModificationTime = DateTimeOffset.UnixEpoch });
                else
                    w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                    {
                        Mode = (UnixFileMode)0x1a4, ModificationTime = DateTimeOffset.UnixEpoch,
                        DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    });
            }
        return ms.ToArray();
    }

    /// <summary>An image with one layer per tar and a history entry per layer.</summary>
    public ImageRecord MakeImage(string? tag, params byte[][] layers)
    {
        var blobs = layers.Select(l => (Content.WriteBytes(l).Digest, MediaTypes.OciLayer)).ToList();
        var config = new ImageConfigFile
        {
            Created = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            Config = new ContainerRunConfig { Cmd = new List<string> { "sh" } },
            History = layers.Select((_, i) => new HistoryEntry { Created = new DateTimeOffset(2024, 5, 6, 7, 8, i, TimeSpan.Zero), CreatedBy = "layer " + i }).ToList(),
        };
        return Images.Create(config, blobs, tag);
    }

    public void Dispose()
    {
        Db.Dispose();
        using var p = System.Diagnostics.Process.Start("rm", ["-rf", "--one-file-system", Root])!;
        p.WaitForExit();
    }
}
