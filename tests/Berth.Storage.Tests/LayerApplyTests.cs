using System.Text;
using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage.Tests;

[Trait("Category", "Root")]
public class LayerApplyTests
{
    [Fact]
    public void Applies_files_links_and_metadata_and_computes_ids()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        byte[] tar = new TarBuilder()
            .Dir("bin/")
            .File("bin/tool", "#!/bin/sh\n", (UnixFileMode)0xded, uid: 1000, gid: 1001) // 06755
            .Symlink("bin/sh", "/bin/tool")
            .Hardlink("bin/tool2", "bin/tool")
            .File("/abs/inside", "normalised")
            .Bytes();
        var info = store.ApplyLayer(null, new MemoryStream(tar));
        Assert.Equal(Digest.Sha256(tar).ToString(), info.DiffId);
        Assert.Equal(info.DiffId, info.ChainId);
        Assert.Equal(10 + 10, info.Size);
        string fs = store.LayerFsDir(info.ChainId);
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Path.Combine(fs, "bin/tool")));
        Assert.True(LibC.TryLstat(Path.Combine(fs, "bin/tool"), out var st));
        Assert.Equal(1000u, st.Uid);
        Assert.Equal(1001u, st.Gid);
        Assert.Equal(0xdedu, st.Mode & 0xfffu);
        Assert.Equal(2u, st.Nlink);
        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), st.MtimeSec);
        Assert.Equal("/bin/tool", new FileInfo(Path.Combine(fs, "bin/sh")).LinkTarget);
        Assert.Equal("normalised", File.ReadAllText(Path.Combine(fs, "abs/inside")));

        var top = store.ApplyLayer(info.ChainId, new MemoryStream(TarBuilder.Gzip(new TarBuilder().File("x", "1").Bytes())));
        Assert.Equal(SnapshotStore.ChainIdOf(info.ChainId, top.DiffId), top.ChainId);
        Assert.Equal(Digest.Sha256(Encoding.ASCII.GetBytes(info.ChainId + " " + top.DiffId)).ToString(), top.ChainId);
        Assert.Equal(new[] { store.LayerFsDir(top.ChainId), fs }, store.LowerDirs(top.ChainId));
    }

    [Fact]
    public void Gzip_zstd_and_plain_give_the_same_diffid()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        byte[] tar = new TarBuilder().File("a", "hello").Bytes();
        var plain = store.ApplyLayer(null, new MemoryStream(tar));
        var gz = store.ApplyLayer(null, new MemoryStream(TarBuilder.Gzip(tar)), expectedDiffId: plain.DiffId);
        var zst = store.ApplyLayer(null, new MemoryStream(TarBuilder.Zstd(tar)));
        Assert.Equal(plain, gz);
        Assert.Equal(plain, zst);
        Assert.Single(store.ListLayers());
        var ex = Assert.Throws<BerthException>(() => store.ApplyLayer(null, new MemoryStream(new TarBuilder().File("b", "x").Bytes()), expectedDiffId: plain.DiffId));
        Assert.Contains("diffID mismatch", ex.Message);
    }

    [Fact]
    public void Whiteouts_and_opaque_dirs_are_stored_in_overlay_form()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var l1 = store.ApplyLayer(null, new MemoryStream(new TarBuilder()
            .Dir("a/").File("a/x", "x").File("a/y", "y").Dir("b/").File("b/z", "z").Dir("c/").File("c/old", "o").Bytes()));
        var l2 = store.ApplyLayer(l1.ChainId, new MemoryStream(new TarBuilder()
            .File("a/.wh.x", "").File(".wh.b", "").Dir("c/").File("c/.wh..wh..opq", "").File("c/new", "n").Bytes()));
        string fs = store.LayerFsDir(l2.ChainId);
        Assert.True(LibC.TryLstat(Path.Combine(fs, "a/x"), out var wh));
        Assert.Equal(LibC.S_IFCHR, wh.Mode & LibC.S_IFMT);
        Assert.Equal(0u, wh.RdevMajor + wh.RdevMinor);
        Assert.False(File.Exists(Path.Combine(fs, "a/.wh.x")));
        Assert.Equal("y", Xattr(Path.Combine(fs, "c"), "trusted.overlay.opaque"));

        string target = tmp.Sub("mnt");
        Directory.CreateDirectory(target);
        var rw = store.CreateRw("c1", l2.ChainId);
        SnapshotStore.Mount(rw, target);
        try
        {
            Assert.False(File.Exists(Path.Combine(target, "a/x")));
            Assert.Equal("y", File.ReadAllText(Path.Combine(target, "a/y")));
            Assert.False(Directory.Exists(Path.Combine(target, "b")));
            Assert.Equal(new[] { "new" }, Directory.GetFileSystemEntries(Path.Combine(target, "c")).Select(Path.GetFileName));
            File.WriteAllText(Path.Combine(target, "a/y2"), "written");
            File.Delete(Path.Combine(target, "a/y"));
        }
        finally
        {
            SnapshotStore.Unmount(target);
        }
        Assert.Equal("written", File.ReadAllText(Path.Combine(rw.UpperDir, "a/y2")));
        Assert.Equal("y", File.ReadAllText(Path.Combine(store.LayerFsDir(l1.ChainId), "a/y")));

        // The upper dir as an OCI diff: the deleted file becomes a .wh. entry, and applying it gives the same view.
        var diff = new MemoryStream();
        store.WriteDiff(rw.UpperDir, diff);
        var names = ReadNames(diff.ToArray());
        Assert.Contains("a/.wh.y", names);
        Assert.Contains("a/y2", names);
        var again = new MemoryStream();
        store.WriteDiff(rw.UpperDir, again);
        Assert.Equal(diff.ToArray(), again.ToArray());
        var l3 = store.ApplyLayer(l2.ChainId, new MemoryStream(diff.ToArray()));
        Assert.True(LibC.TryLstat(Path.Combine(store.LayerFsDir(l3.ChainId), "a/y"), out var wh2));
        Assert.Equal(LibC.S_IFCHR, wh2.Mode & LibC.S_IFMT);
        store.RemoveRw("c1");
        Assert.False(Directory.Exists(Path.GetDirectoryName(rw.UpperDir)));
    }

    [Fact]
    public void Opaque_dir_in_upper_becomes_opq_marker()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        string upper = tmp.Sub("upper");
        Directory.CreateDirectory(Path.Combine(upper, "d"));
        File.WriteAllText(Path.Combine(upper, "d/f"), "f");
        SetXattr(Path.Combine(upper, "d"), "trusted.overlay.opaque", "y");
        var ms = new MemoryStream();
        store.WriteDiff(upper, ms);
        Assert.Equal(new[] { "d/", "d/.wh..wh..opq", "d/f" }, ReadNames(ms.ToArray()));
    }

    [Fact]
    public void Xattrs_round_trip_through_diff_and_apply()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        string upper = tmp.Sub("upper");
        Directory.CreateDirectory(upper);
        File.WriteAllText(Path.Combine(upper, "f"), "x");
        SetXattr(Path.Combine(upper, "f"), "user.text", "hello");
        unsafe
        {
            byte[] binary = { 0xff, 0x00, 0x80 };
            fixed (byte* p = binary) Assert.Equal(0, LibC.Lsetxattr(Path.Combine(upper, "f"), "user.bin", p, 3, 0));
        }
        var ms = new MemoryStream();
        store.WriteDiff(upper, ms);
        var info = store.ApplyLayer(null, new MemoryStream(ms.ToArray()));
        string f = Path.Combine(store.LayerFsDir(info.ChainId), "f");
        Assert.Equal("hello", Xattr(f, "user.text"));
        Assert.Null(Xattr(f, "user.bin")); // binary values cannot travel in System.Formats.Tar's PAX strings
    }

    [Fact]
    public void Scratch_rw_layer_mounts_over_an_empty_lower()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var rw = store.CreateRw("scratch", null);
        Assert.Equal(new[] { store.EmptyDir }, rw.LowerDirs);
        string target = tmp.Sub("mnt");
        Directory.CreateDirectory(target);
        SnapshotStore.Mount(rw, target);
        try
        {
            Assert.Empty(Directory.GetFileSystemEntries(target));
        }
        finally
        {
            SnapshotStore.Unmount(target);
        }
        Assert.Throws<BerthException>(() => store.CreateRw("scratch", null));
    }

    [Fact]
    public void Many_layers_mount_past_the_option_page_limit()
    {
        using var tmp = new TempDir();
        // 60 lower paths of ~130 bytes are far more than one page of mount options.
        var store = new SnapshotStore(tmp.Sub("snap"));
        string? chain = null;
        for (int i = 0; i < 60; i++)
            chain = store.ApplyLayer(chain, new MemoryStream(new TarBuilder().File("f" + i, i.ToString()).File("top", i.ToString()).Bytes())).ChainId;
        var rw = store.CreateRw("big", chain);
        Assert.True(string.Join(':', rw.LowerDirs).Length > 4096);
        foreach (bool force in new[] { false, true })
        {
            string target = tmp.Sub("mnt" + force);
            Directory.CreateDirectory(target);
            SnapshotStore.Mount(rw, target, forceFsConfig: force);
            try
            {
                Assert.Equal("0", File.ReadAllText(Path.Combine(target, "f0")));
                Assert.Equal("59", File.ReadAllText(Path.Combine(target, "top")));
                Assert.Equal(61, Directory.GetFiles(target).Length);
            }
            finally
            {
                SnapshotStore.Unmount(target);
            }
        }
    }

    [Fact]
    public void DiskUsage_counts_hardlinks_once_and_does_not_follow_symlinks()
    {
        using var tmp = new TempDir();
        string d = tmp.Sub("du");
        Directory.CreateDirectory(d);
        File.WriteAllBytes(Path.Combine(d, "a"), new byte[1000]);
        Assert.Equal(0, LibC.Link(Path.Combine(d, "a"), Path.Combine(d, "b")));
        File.CreateSymbolicLink(Path.Combine(d, "l"), "/usr");
        long du = SnapshotStore.DiskUsage(d);
        Assert.InRange(du, 1000, 1100);
    }

    internal static List<string> ReadNames(byte[] tar)
    {
        var names = new List<string>();
        using var r = new System.Formats.Tar.TarReader(new MemoryStream(tar));
        while (r.GetNextEntry() is { } e) names.Add(e.Name);
        return names;
    }

    private static unsafe string? Xattr(string path, string name)
    {
        byte* buf = stackalloc byte[64];
        nint n = LibC.Lgetxattr(path, name, buf, 64);
        return n < 0 ? null : Encoding.ASCII.GetString(buf, (int)n);
    }

    private static unsafe void SetXattr(string path, string name, string value)
    {
        byte[] v = Encoding.ASCII.GetBytes(value);
        fixed (byte* p = v) Assert.Equal(0, LibC.Lsetxattr(path, name, p, (nuint)v.Length, 0));
    }
}
