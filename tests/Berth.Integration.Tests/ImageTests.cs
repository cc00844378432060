namespace Berth.Integration.Tests;

/// <summary>Images through the CLI: bootstrap, list, inspect, history, tag, rmi, save/load, import.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class ImageTests(DaemonFixture fixture)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void BootstrappedBusyboxIsARealImage()
    {
        var images = _d.Berth("images", "--format", "{{.Repository}}:{{.Tag}}");
        Assert.Contains("busybox:latest", images.Stdout);
        var cmd = _d.Berth("image", "inspect", "-f", "{{json .Config.Cmd}}", "busybox");
        Assert.Equal("[\"sh\"]", cmd.Stdout.Trim());
        var history = _d.Berth("history", "--no-trunc", "--format", "{{.CreatedBy}}", "busybox");
        Assert.Contains("CMD [\"sh\"]", history.Stdout);
        var again = _d.Berth("image", "bootstrap");
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(_d.Berth("images", "-q", "busybox").Stdout, _d.Berth("images", "-q", "busybox").Stdout);
    }

    [Fact]
    public void TagAndRmiFollowDockersRules()
    {
        Assert.Equal(0, _d.Berth("tag", "busybox", "it/tagged:v1").ExitCode);
        Assert.Equal(0, _d.Berth("tag", "busybox", "it/tagged:v2").ExitCode);
        var untag = _d.Berth("rmi", "it/tagged:v1");
        Assert.Contains("Untagged: it/tagged:v1", untag.Stdout);
        string id = _d.Berth("create", "it/tagged:v2", "true").Stdout.Trim();
        var inUse = _d.Berth("rmi", "it/tagged:v2");
        Assert.Equal(0, inUse.ExitCode); // another tag (busybox:latest) still names the image: untag only
        var byId = _d.Berth("rmi", _d.Berth("images", "-q", "busybox").Stdout.Trim());
        Assert.NotEqual(0, byId.ExitCode);
        Assert.Contains("container", byId.Stderr);
        _d.Berth("rm", id);
        Assert.Contains("busybox:latest", _d.Berth("images", "--format", "{{.Repository}}:{{.Tag}}").Stdout);
    }

    [Fact]
    public void SaveAndLoadRoundTrip()
    {
        string tar = Path.Combine(_d.Root, "busybox-save.tar");
        _d.Berth("tag", "busybox", "it/saved:1");
        Assert.Equal(0, _d.Berth("save", "-o", tar, "it/saved:1").ExitCode);
        Assert.Equal(0, _d.Berth("rmi", "it/saved:1").ExitCode);
        var load = _d.Berth("load", "-i", tar);
        Assert.True(load.ExitCode == 0, load.ToString());
        Assert.Contains("Loaded image: it/saved:1", load.Stdout);
        Assert.Equal(0, _d.Berth("run", "--rm", "it/saved:1", "true").ExitCode);
        _d.Berth("rmi", "it/saved:1");
    }

    [Fact]
    public void ImportWithChanges()
    {
        string id = _d.Berth("create", "busybox", "true").Stdout.Trim();
        string tar = Path.Combine(_d.Root, "rootfs.tar");
        Assert.Equal(0, _d.Berth("export", "-o", tar, id).ExitCode);
        _d.Berth("rm", id);
        var import = _d.Berth("import", "-c", "ENV GREETING=imported", "-c", "CMD [\"sh\", \"-c\", \"echo $GREETING\"]", tar, "it/imported:1");
        Assert.True(import.ExitCode == 0, import.ToString());
        var run = _d.Berth("run", "--rm", "it/imported:1");
        Assert.Equal("imported\n", run.Stdout);
        _d.Berth("rmi", "it/imported:1");
    }

    [Fact]
    public void HostileImportIsRejectedWithoutWritingOutside()
    {
        string tar = Path.Combine(_d.Root, "hostile.tar");
        using (var fs = File.Create(tar))
        using (var w = new System.Formats.Tar.TarWriter(fs))
        {
            var e = new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "../../../../tmp/berth-it-escape") { DataStream = new MemoryStream("x"u8.ToArray()) };
            w.WriteEntry(e);
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "link") { LinkName = "/tmp" });
            w.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "link/berth-it-escape2") { DataStream = new MemoryStream("x"u8.ToArray()) });
        }
        _d.Berth("import", tar, "it/hostile:1");
        Assert.False(File.Exists("/tmp/berth-it-escape"));
        Assert.False(File.Exists("/tmp/berth-it-escape2"));
        _d.Berth("rmi", "it/hostile:1");
    }
}
