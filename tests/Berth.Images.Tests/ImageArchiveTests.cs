using System.Diagnostics;
using System.Formats.Tar;
using System.Text;
using Berth.Core;

namespace Berth.Images.Tests;

[Trait("Category", "Root")]
public class ImageArchiveTests
{
    private static byte[] Save(StoreFixture f, params string[] refs)
    {
        var ms = new MemoryStream();
        new ImageArchive(f.Images).Save(refs, ms);
        return ms.ToArray();
    }

    private static Dictionary<string, byte[]> Entries(byte[] tar)
    {
        var d = new Dictionary<string, byte[]>();
        using var r = new TarReader(new MemoryStream(tar));
        while (r.GetNextEntry() is { } e)
        {
            var ms = new MemoryStream();
            e.DataStream?.CopyTo(ms);
            d[e.Name] = ms.ToArray();
        }
        return d;
    }

    [Fact]
    public void Save_writes_docker_archive_and_oci_layout()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("app:1", StoreFixture.Tar(("a", "1")), StoreFixture.Tar(("b", "2")));
        var entries = Entries(Save(f, "app:1"));
        Assert.Contains("oci-layout", entries.Keys);
        string manifestJson = Encoding.UTF8.GetString(entries["manifest.json"]);
        Assert.Contains($"\"Config\":\"blobs/sha256/{img.Id[7..]}\"", manifestJson);
        Assert.Contains("\"RepoTags\":[\"app:1\"]", manifestJson);
        string index = Encoding.UTF8.GetString(entries["index.json"]);
        Assert.Contains("\"io.containerd.image.name\":\"docker.io/library/app:1\"", index);
        Assert.Contains("\"org.opencontainers.image.ref.name\":\"1\"", index);
        Assert.Contains(img.ManifestDigest, index);
        foreach (var (name, data) in entries.Where(e => e.Key.StartsWith("blobs/sha256/", StringComparison.Ordinal) && e.Value.Length > 0))
            Assert.Equal(name[13..], Digest.Sha256(data).Hex);
    }

    [Fact]
    public void Save_then_load_round_trips_into_an_empty_store()
    {
        using var a = new StoreFixture();
        var img = a.MakeImage("app:1", StoreFixture.Tar(("a", "1")));
        var untagged = a.MakeImage(null, StoreFixture.Tar(("u", "u")));
        byte[] archive = Save(a, "app:1", untagged.Id);
        using var b = new StoreFixture();
        var messages = new ImageArchive(b.Images).Load(new MemoryStream(archive));
        Assert.Equal(new[] { "Loaded image: app:1", "Loaded image ID: " + untagged.Id }, messages);
        var loaded = b.Images.Resolve("app:1");
        Assert.Equal(img.Id, loaded.Id);
        Assert.Equal(img.ManifestDigest, loaded.ManifestDigest);
        Assert.Equal("1", File.ReadAllText(Path.Combine(b.Images.LowerDirs(loaded)[0], "a")));
    }

    [Fact]
    public void Load_over_an_existing_tag_says_it_renames_the_old_image()
    {
        using var a = new StoreFixture();
        var img = a.MakeImage("app:1", StoreFixture.Tar(("a", "new")));
        byte[] archive = Save(a, "app:1");
        using var b = new StoreFixture();
        var old = b.MakeImage("app:1", StoreFixture.Tar(("a", "old")));
        var messages = new ImageArchive(b.Images).Load(new MemoryStream(archive));
        Assert.Equal(new[] { $"The image app:1 already exists, renaming the old one with ID {old.Id} to empty string", "Loaded image: app:1" }, messages);
        Assert.Equal(img.Id, b.Images.Resolve("app:1").Id);
        Assert.Empty(b.Images.Resolve(old.Id).RepoTags);
        // Loading the same archive again changes nothing and says so plainly.
        Assert.Equal(new[] { "Loaded image: app:1" }, new ImageArchive(b.Images).Load(new MemoryStream(archive)));
    }

    [Fact]
    public void Load_reads_a_docker_archive_without_index()
    {
        using var a = new StoreFixture();
        var img = a.MakeImage("old:style", StoreFixture.Tar(("a", "1")));
        var entries = Entries(Save(a, "old:style"));
        // An old-style archive: <id>/layer.tar as a relative symlink to the blob, manifest.json only.
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, true))
        {
            string layerHex = Digest.Sha256(StoreFixture.Tar(("a", "1"))).Hex;
            foreach (var (name, data) in entries.Where(e => e.Key.StartsWith("blobs/", StringComparison.Ordinal) && !e.Key.EndsWith('/')))
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "abc/layer.tar") { LinkName = "../blobs/sha256/" + layerHex });
            string manifest = $"[{{\"Config\":\"blobs/sha256/{img.Id[7..]}\",\"RepoTags\":[\"docker.io/library/old:style\"],\"Layers\":[\"abc/layer.tar\"]}}]";
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "manifest.json") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
        }
        using var b = new StoreFixture();
        Assert.Equal(new[] { "Loaded image: old:style" }, new ImageArchive(b.Images).Load(new MemoryStream(ms.ToArray())));
        Assert.Equal(img.Id, b.Images.Resolve("old:style").Id);
    }

    [Fact]
    public void Hostile_or_corrupt_archives_are_rejected_and_leave_nothing()
    {
        using var a = new StoreFixture();
        a.MakeImage("app:1", StoreFixture.Tar(("a", "1")));
        var entries = Entries(Save(a, "app:1"));
        using var b = new StoreFixture();
        var archive = new ImageArchive(b.Images);

        byte[] Build(Action<TarWriter> extra, bool corrupt = false)
        {
            var ms = new MemoryStream();
            using (var w = new TarWriter(ms, TarEntryFormat.Pax, true))
            {
                extra(w);
                foreach (var (name, data) in entries.Where(e => !e.Key.EndsWith('/')))
                {
                    byte[] d = data;
                    if (corrupt && name.StartsWith("blobs/", StringComparison.Ordinal) && data.Length > 1000) { d = (byte[])data.Clone(); d[600] ^= 1; }
                    w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(d) });
                }
            }
            return ms.ToArray();
        }

        var ex = Assert.Throws<BerthException>(() => archive.Load(new MemoryStream(Build(w =>
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "../../evil") { DataStream = new MemoryStream(new byte[1]) })))));
        Assert.Contains("\"../../evil\" points outside the archive", ex.Message);
        ex = Assert.Throws<BerthException>(() => archive.Load(new MemoryStream(Build(w =>
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "/etc/evil") { DataStream = new MemoryStream(new byte[1]) })))));
        Assert.Contains("absolute path", ex.Message);
        ex = Assert.Throws<BerthException>(() => archive.Load(new MemoryStream(Build(w =>
            w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "x") { LinkName = "/etc/passwd" })))));
        Assert.Contains("symlink to the absolute path", ex.Message);
        ex = Assert.Throws<BerthException>(() => archive.Load(new MemoryStream(Build(_ => { }, corrupt: true))));
        Assert.Contains("digest mismatch", ex.Message);
        Assert.Empty(b.Images.List());
        Assert.Empty(b.Content.List());
        Assert.Empty(b.Snapshots.ListLayers());
        Assert.False(File.Exists("/tmp/evil"));
    }

    [Fact]
    public void Skopeo_reads_what_we_save_and_we_load_what_skopeo_writes()
    {
        if (!File.Exists("/usr/bin/skopeo"))
        {
            Console.WriteLine("SKIP Skopeo_reads_what_we_save_and_we_load_what_skopeo_writes: skopeo not installed (apt-get install skopeo)");
            return;
        }
        using var a = new StoreFixture();
        var img = a.MakeImage("app:1", StoreFixture.Tar(("a", "1")), StoreFixture.Tar(("b", "2")));
        string saved = Path.Combine(a.Root, "saved.tar");
        File.WriteAllBytes(saved, Save(a, "app:1"));
        string ociDir = Path.Combine(a.Root, "oci");
        string ociArchive = Path.Combine(a.Root, "oci.tar");
        string dockerArchive = Path.Combine(a.Root, "docker.tar");
        Skopeo("copy", "docker-archive:" + saved, "oci:" + ociDir + ":docker.io/library/app:2");
        Skopeo("copy", "oci-archive:" + saved, "oci-archive:" + ociArchive + ":app:3");
        Skopeo("copy", "oci:" + ociDir + ":docker.io/library/app:2", "docker-archive:" + dockerArchive + ":app:4");

        using var b = new StoreFixture();
        var archive = new ImageArchive(b.Images);
        // An OCI layout directory written by skopeo, tarred.
        var ms = new MemoryStream();
        TarFile.CreateFromDirectory(ociDir, ms, includeBaseDirectory: false);
        Assert.Equal(new[] { "Loaded image: app:2" }, archive.Load(new MemoryStream(ms.ToArray())));
        // skopeo re-serialises the config when it converts between docker-archive and OCI, so only the layers must match there.
        Assert.Equal(img.Config.RootFs.DiffIds, b.Images.Resolve("app:2").Config.RootFs.DiffIds);
        Assert.Equal(new[] { "Loaded image: app:3" }, archive.Load(File.OpenRead(ociArchive)));
        Assert.Equal(img.Id, b.Images.Resolve("app:3").Id);
        Assert.Equal(new[] { "Loaded image: app:4" }, archive.Load(File.OpenRead(dockerArchive)));
        Assert.Equal(img.Config.RootFs.DiffIds, b.Images.Resolve("app:4").Config.RootFs.DiffIds);
        Assert.Equal("2", File.ReadAllText(Path.Combine(b.Images.LowerDirs(b.Images.Resolve("app:4"))[0], "b")));
    }

    private static void Skopeo(params string[] args)
    {
        var psi = new ProcessStartInfo("skopeo", ["--insecure-policy", .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"skopeo {string.Join(' ', args)} failed: {err}");
    }
}
