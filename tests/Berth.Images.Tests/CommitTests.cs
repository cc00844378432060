using Berth.Core.Oci;

namespace Berth.Images.Tests;

[Trait("Category", "Root")]
public class CommitTests
{
    [Fact]
    public void Upper_dir_becomes_a_layer_on_the_parent()
    {
        using var f = new StoreFixture();
        var parent = f.MakeImage("base", StoreFixture.Tar(("etc/", ""), ("etc/a", "a"), ("etc/b", "b")));
        string upper = Path.Combine(f.Root, "upper");
        Directory.CreateDirectory(Path.Combine(upper, "etc"));
        File.WriteAllText(Path.Combine(upper, "etc/c"), "c");
        Assert.Equal(0, Berth.Storage.Native.LibC.Mknod(Path.Combine(upper, "etc/a"), Berth.Storage.Native.LibC.S_IFCHR, 0));
        var config = new ImageConfigFile
        {
            Config = parent.Config.Config,
            History = (parent.Config.History ?? new()).Append(new HistoryEntry { CreatedBy = "commit" }).ToList(),
        };
        var child = f.Images.CommitUpperDir(parent, upper, config, "child:1");
        Assert.Equal(2, child.Config.RootFs.DiffIds.Count);
        Assert.Equal(parent.Config.RootFs.DiffIds[0], child.Config.RootFs.DiffIds[0]);
        Assert.Equal(parent.ChainId, f.Snapshots.ParentOf(child.ChainId!));
        string top = f.Images.LowerDirs(child)[0];
        Assert.Equal("c", File.ReadAllText(Path.Combine(top, "etc/c")));
        Assert.True(Berth.Storage.Native.LibC.TryLstat(Path.Combine(top, "etc/a"), out var st));
        Assert.Equal(Berth.Storage.Native.LibC.S_IFCHR, st.Mode & Berth.Storage.Native.LibC.S_IFMT);
        Assert.Equal(new[] { "commit", "layer 0" }, f.Images.History("child:1").Select(h => h.CreatedBy));
    }
}
