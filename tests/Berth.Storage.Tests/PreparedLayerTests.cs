using Berth.Core;

namespace Berth.Storage.Tests;

[Trait("Category", "Root")]
public class PreparedLayerTests
{
    [Fact]
    public async Task LayersPreparedTogetherAreCommittedInChainOrder()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        byte[] lower = new TarBuilder().File("a", "lower").Bytes();
        byte[] upper = TarBuilder.Gzip(new TarBuilder().File("b", "upper").Bytes());
        var tasks = new[] { lower, upper }.Select(t => Task.Run(() => store.PrepareLayer(new MemoryStream(t)))).ToArray();
        using var first = await tasks[0];
        using var second = await tasks[1];

        var bottom = store.Commit(null, first);
        var top = store.Commit(bottom.ChainId, second);
        Assert.Equal(SnapshotStore.ChainIdOf(bottom.ChainId, second.DiffId), top.ChainId);
        Assert.Equal("lower", File.ReadAllText(Path.Combine(store.LayerFsDir(bottom.ChainId), "a")));
        Assert.Equal("upper", File.ReadAllText(Path.Combine(store.LayerFsDir(top.ChainId), "b")));
        Assert.Equal(bottom.ChainId, store.ParentOf(top.ChainId));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, "tmp")));
    }

    [Fact]
    public void ACommitNeedsItsParentAndHappensOnce()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        using var layer = store.PrepareLayer(new MemoryStream(new TarBuilder().File("x", "1").Bytes()));
        var e = Assert.Throws<BerthException>(() => store.Commit("sha256:" + new string('0', 64), layer));
        Assert.Contains("parent layer", e.Message);
        var committed = store.Commit(null, layer);
        // Already in place: the same layer again is the one there.
        Assert.Equal(committed.ChainId, store.Commit(null, layer).ChainId);
        // Its files went to the first commit; it cannot become a second layer.
        Assert.Throws<InvalidOperationException>(() => store.Commit(committed.ChainId, layer));
    }

    [Fact]
    public void AnUncommittedLayerLeavesNothingWhenDisposedAndABadOneNothingAtAll()
    {
        using var tmp = new TempDir();
        var store = new SnapshotStore(tmp.Sub("snap"));
        var layer = store.PrepareLayer(new MemoryStream(new TarBuilder().File("x", "1").Bytes()));
        layer.Dispose();
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, "tmp")));
        var e = Assert.Throws<BerthException>(() => store.PrepareLayer(new MemoryStream(new TarBuilder().File("y", "2").Bytes()), expectedDiffId: "sha256:" + new string('2', 64)));
        Assert.Contains("sha256:" + new string('2', 64), e.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.Root, "tmp")));
        Assert.False(store.HasLayer("sha256:" + new string('2', 64)));
    }
}
