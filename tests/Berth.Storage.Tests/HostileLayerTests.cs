using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage.Tests;

/// <summary>Every hostile layer must fail (or be neutralised) without writing outside the snapshot dir or leaving a layer behind.</summary>
[Trait("Category", "Root")]
public class HostileLayerTests
{
    private static void AssertRejected(TempDir tmp, SnapshotStore store, byte[] layer, string expected)
    {
        var before = store.ListLayers();
        var ex = Assert.Throws<BerthException>(() => store.ApplyLayer(null, new MemoryStream(layer), label: "sha256:test"));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.True(ex.Message.Contains(expected), $"expected \"{expected}\" in: {ex.Message}");
        Assert.Equal(before, store.ListLayers());
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(store.Root, "tmp")));
        _ = tmp;
    }

    [Fact]
    public void Dotdot_escape_is_rejected()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        AssertRejected(tmp, store, new TarBuilder().File("ok", "1").File("../escaped", "x").Bytes(), "\"../escaped\" path \"../escaped\" escapes the layer root");
        AssertRejected(tmp, store, new TarBuilder().File("a/../../escaped", "x").Bytes(), "escapes the layer root");
        Assert.False(File.Exists(tmp.Sub("escaped")));
        Assert.False(File.Exists(Path.Combine(store.Root, "escaped")));
    }

    [Fact]
    public void Inner_dotdot_and_absolute_paths_stay_inside()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var info = store.ApplyLayer(null, new MemoryStream(new TarBuilder().File("a/../b", "1").File(tmp.Sub("abs"), "2").Bytes()));
        string fs = store.LayerFsDir(info.ChainId);
        Assert.Equal("1", File.ReadAllText(Path.Combine(fs, "b")));
        Assert.Equal("2", File.ReadAllText(fs + tmp.Sub("abs")));
        Assert.False(File.Exists(tmp.Sub("abs")));
    }

    [Fact]
    public void Writing_through_a_symlink_is_refused()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        string outside = tmp.Sub("outside");
        Directory.CreateDirectory(outside);
        AssertRejected(tmp, store, new TarBuilder().Symlink("evil", outside).File("evil/pwned", "x").Bytes(), "parent \"evil\" that is a symlink");
        AssertRejected(tmp, store, new TarBuilder().Symlink("rel", "../../../../../../..").File("rel/tmp/pwned", "x").Bytes(), "is a symlink");
        // A symlink at the final component is replaced, never written through.
        File.WriteAllText(Path.Combine(outside, "target"), "original");
        var info = store.ApplyLayer(null, new MemoryStream(new TarBuilder().Symlink("f", Path.Combine(outside, "target")).File("f", "replaced").Bytes()));
        Assert.Equal("original", File.ReadAllText(Path.Combine(outside, "target")));
        Assert.Equal("replaced", File.ReadAllText(Path.Combine(store.LayerFsDir(info.ChainId), "f")));
        Assert.Equal(new[] { "target" }, Directory.GetFileSystemEntries(outside).Select(Path.GetFileName));
    }

    [Fact]
    public void Replacing_a_directory_never_deletes_through_its_symlinks()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        string outside = tmp.Sub("precious");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep"), "keep");
        store.ApplyLayer(null, new MemoryStream(new TarBuilder()
            .Dir("d/").Symlink("d/link", outside).File("d", "now a file").Bytes()));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(outside, "keep")));
    }

    [Fact]
    public void Symlinks_pointing_outside_are_kept_as_symlinks()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var info = store.ApplyLayer(null, new MemoryStream(new TarBuilder().Symlink("etcpw", "/etc/passwd").Symlink("up", "../../..").Bytes()));
        Assert.Equal("/etc/passwd", new FileInfo(Path.Combine(store.LayerFsDir(info.ChainId), "etcpw")).LinkTarget);
        Assert.Equal("../../..", new FileInfo(Path.Combine(store.LayerFsDir(info.ChainId), "up")).LinkTarget);
    }

    [Fact]
    public void Hardlinks_outside_the_layer_are_rejected()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        string before = File.ReadAllText("/etc/passwd");
        AssertRejected(tmp, store, new TarBuilder().Hardlink("pw", "/etc/passwd").Bytes(), "which is not in this layer");
        AssertRejected(tmp, store, new TarBuilder().Hardlink("pw", "../../../../../../etc/passwd").Bytes(), "escapes the layer root");
        AssertRejected(tmp, store, new TarBuilder().Symlink("s", "/etc").Hardlink("pw", "s/passwd").Bytes(), "is a symlink");
        Assert.Equal(before, File.ReadAllText("/etc/passwd"));
        Assert.True(LibC.TryLstat("/etc/passwd", out var st));
        Assert.Equal(1u, st.Nlink);
    }

    [Fact]
    public void Device_nodes_are_skipped()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var info = store.ApplyLayer(null, new MemoryStream(new TarBuilder().Device("dev/sda", 8, 0).Device("dev/mem", 1, 1).File("ok", "1").Bytes()));
        string fs = store.LayerFsDir(info.ChainId);
        Assert.False(LibC.TryLstat(Path.Combine(fs, "dev/sda"), out _));
        Assert.False(LibC.TryLstat(Path.Combine(fs, "dev/mem"), out _));
        Assert.True(File.Exists(Path.Combine(fs, "ok")));
    }

    [Fact]
    public void Truncated_gzip_layer_names_the_offset_and_leaves_nothing()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        byte[] big = new byte[200_000];
        new Random(3).NextBytes(big);
        byte[] tar = new TarBuilder().File("a", "small").File("big", Convert.ToBase64String(big)).Bytes();
        byte[] gz = TarBuilder.Gzip(tar);
        AssertRejected(tmp, store, gz[..(gz.Length / 2)], "layer sha256:test truncated at offset");
        AssertRejected(tmp, store, tar[..(tar.Length / 2)], "truncated at offset");
        byte[] zst = TarBuilder.Zstd(tar);
        AssertRejected(tmp, store, zst[..(zst.Length / 2)], "truncated at offset");
        // Cut in the middle of a header.
        AssertRejected(tmp, store, tar[..(512 + 512 + 100)], "truncated at offset");
        // Cut exactly after the last entry: parses cleanly, but the end-of-archive blocks are missing.
        AssertRejected(tmp, store, TarBuilder.Gzip(tar[..^1024]), $"truncated at offset {tar.Length - 1024}");
    }

    [Fact]
    public void Overlay_xattrs_from_the_tar_are_ignored()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var pax = new Dictionary<string, string> { ["SCHILY.xattr.trusted.overlay.redirect"] = "/etc", ["SCHILY.xattr.user.note"] = "hi" };
        var info = store.ApplyLayer(null, new MemoryStream(new TarBuilder().File("f", "x", pax: pax).Bytes()));
        string f = Path.Combine(store.LayerFsDir(info.ChainId), "f");
        Assert.Equal("hi", GetXattr(f, "user.note"));
        Assert.Null(GetXattr(f, "trusted.overlay.redirect"));
    }

    private static unsafe string? GetXattr(string path, string name)
    {
        byte* buf = stackalloc byte[64];
        nint n = LibC.Lgetxattr(path, name, buf, 64);
        return n < 0 ? null : System.Text.Encoding.UTF8.GetString(buf, (int)n);
    }
}
