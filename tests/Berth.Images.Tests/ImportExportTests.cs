using System.Formats.Tar;
using Berth.Core;

namespace Berth.Images.Tests;

[Trait("Category", "Root")]
public class ImportExportTests
{
    [Fact]
    public void Import_applies_changes_and_normalises_the_layer()
    {
        using var f = new StoreFixture();
        byte[] tar = StoreFixture.Tar(("etc/", ""), ("etc/os-release", "ID=test"), ("/abs/file", "x"));
        var changes = new[]
        {
            "CMD echo hi", "ENTRYPOINT [\"/bin/tini\", \"--\"]", "ENV A=1 B=\"two words\"", "ENV C three four", "WORKDIR /app",
            "EXPOSE 80 53/udp", "LABEL org.x=\"y z\"", "USER nobody", "VOLUME /data", "STOPSIGNAL SIGINT", "ONBUILD RUN true",
        };
        var img = new ImageImporter(f.Images).Import(new MemoryStream(StoreFixture_Gzip(tar)), changes, "my import", "imported:1");
        var c = img.Config.Config!;
        Assert.Equal(new[] { "/bin/sh", "-c", "echo hi" }, c.Cmd);
        Assert.Equal(new[] { "/bin/tini", "--" }, c.Entrypoint);
        Assert.Equal(new[] { "A=1", "B=two words", "C=three four" }, c.Env);
        Assert.Equal("/app", c.WorkingDir);
        Assert.Equal(new[] { "53/udp", "80/tcp" }, c.ExposedPorts!.Keys.Order());
        Assert.Equal("y z", c.Labels!["org.x"]);
        Assert.Equal("nobody", c.User);
        Assert.Contains("/data", c.Volumes!.Keys);
        Assert.Equal("SIGINT", c.StopSignal);
        Assert.Equal(new[] { "RUN true" }, c.OnBuild);
        Assert.Equal("my import", f.Images.History("imported:1")[0].Comment);
        Assert.Equal("ID=test", File.ReadAllText(Path.Combine(f.Images.LowerDirs(img)[0], "etc/os-release")));
        Assert.True(File.Exists(Path.Combine(f.Images.LowerDirs(img)[0], "abs/file")));
        // Only the normalised layer is kept.
        Assert.Single(f.Snapshots.ListLayers());
    }

    [Fact]
    public void Import_rejects_bad_changes_and_hostile_tars()
    {
        using var f = new StoreFixture();
        var importer = new ImageImporter(f.Images);
        var ex = Assert.Throws<BerthException>(() => importer.Import(new MemoryStream(StoreFixture.Tar(("a", "1"))), new[] { "RUN rm -rf /" }, null, null));
        Assert.Equal("invalid --change \"RUN rm -rf /\": RUN is not a valid change command (supported: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)", ex.Message);
        ex = Assert.Throws<BerthException>(() => importer.Import(new MemoryStream(StoreFixture.Tar(("a", "1"))), new[] { "EXPOSE 99999" }, null, null));
        Assert.Contains("invalid port \"99999\"", ex.Message);
        ex = Assert.Throws<BerthException>(() => importer.Import(new MemoryStream(StoreFixture.Tar(("../evil", "1"))), Array.Empty<string>(), null, null));
        Assert.Contains("escapes the layer root", ex.Message);
        Assert.Empty(f.Images.List());
        Assert.Empty(f.Snapshots.ListLayers());
    }

    [Fact]
    public void Export_writes_the_tree_without_following_symlinks()
    {
        using var f = new StoreFixture();
        string root = Path.Combine(f.Root, "rootfs");
        Directory.CreateDirectory(Path.Combine(root, "etc"));
        File.WriteAllText(Path.Combine(root, "etc/hosts"), "127.0.0.1 localhost");
        File.CreateSymbolicLink(Path.Combine(root, "escape"), "/etc");
        var ms = new MemoryStream();
        RootfsExport.Write(root, ms);
        ms.Position = 0;
        var names = new List<string>();
        using var r = new TarReader(ms);
        while (r.GetNextEntry() is { } e)
        {
            names.Add(e.Name);
            if (e.Name == "escape") Assert.Equal("/etc", e.LinkName);
        }
        Assert.Equal(new[] { "escape", "etc/", "etc/hosts" }, names);
    }

    private static byte[] StoreFixture_Gzip(byte[] data)
    {
        var o = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(o, System.IO.Compression.CompressionLevel.Fastest, true)) gz.Write(data);
        return o.ToArray();
    }
}
