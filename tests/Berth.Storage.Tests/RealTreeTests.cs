using System.Diagnostics;

namespace Berth.Storage.Tests;

/// <summary>Layers made by GNU tar from real trees (long names, symlinks, hardlinks) unpack to the same tree, and survive a diff round trip.</summary>
[Trait("Category", "Root")]
public class RealTreeTests
{
    [Fact]
    public void Gnu_tar_of_a_real_tree_unpacks_identically()
    {
        using var tmp = new TempDir();
        string src = tmp.Sub("src");
        Directory.CreateDirectory(src);
        Run("cp", "-a", "/usr/share/zoneinfo", src + "/zoneinfo");
        Run("cp", "-a", "/etc/ssl", src + "/ssl");
        string deep = Path.Combine(src, string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 8)));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Combine(deep, "file-with-a-name-longer-than-one-hundred-bytes-" + new string('x', 80)), "deep");
        Run("ln", Path.Combine(src, "zoneinfo/UTC"), Path.Combine(src, "hardlink-to-utc"));
        string layer = tmp.Sub("layer.tar.gz");
        Run("tar", "--numeric-owner", "-czf", layer, "-C", src, ".");

        var store = new SnapshotStore(tmp.Sub("snap"));
        LayerInfo info;
        using (var s = File.OpenRead(layer)) info = store.ApplyLayer(null, s);
        string fs = store.LayerFsDir(info.ChainId);
        Run("diff", "-r", "--no-dereference", src, fs);
        Assert.Equal(Metadata(src), Metadata(fs));
        Assert.True(Native.LibC.TryLstat(Path.Combine(fs, "hardlink-to-utc"), out var st));
        Assert.Equal(2u, st.Nlink);

        // Written back as a layer and applied again: the same tree.
        var ms = new MemoryStream();
        store.WriteDiff(fs, ms);
        var again = store.ApplyLayer(null, new MemoryStream(ms.ToArray()));
        Run("diff", "-r", "--no-dereference", src, store.LayerFsDir(again.ChainId));
        Assert.Equal(Metadata(src), Metadata(store.LayerFsDir(again.ChainId)));
    }

    /// <summary>Path, type, mode, owner, mtime (seconds, as GNU tar keeps it) and link target of every entry, sorted.</summary>
    private static string Metadata(string root)
    {
        var psi = new ProcessStartInfo("find", [root, "-mindepth", "1", "-printf", "%P %y %m %U %G %Ts %l\n"]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
        p.WaitForExit();
        return string.Join('\n', lines);
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {p.ExitCode}: {err}{stdout.Result[..Math.Min(2000, stdout.Result.Length)]}");
    }
}
