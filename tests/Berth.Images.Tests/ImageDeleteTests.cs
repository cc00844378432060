using Berth.Core;

namespace Berth.Images.Tests;

[Trait("Category", "Root")]
public class ImageDeleteTests
{
    private static readonly Func<string, ContainerUse?> Unused = _ => null;

    private static string Lines(IReadOnlyList<ImageDeleteResult> r) =>
        string.Join("\n", r.Select(x => x.Untagged != null ? "Untagged: " + x.Untagged : "Deleted: " + x.Deleted));

    [Fact]
    public void Name_with_other_tags_only_untags()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("a:1", StoreFixture.Tar(("x", "1")));
        f.Images.Tag("a:1", "b:2");
        var r = f.Images.Delete("a:1", force: false, noPrune: false, Unused);
        Assert.Equal("Untagged: a:1", Lines(r));
        Assert.Equal(new[] { "b:2" }, f.Images.Resolve(img.Id).RepoTags);
    }

    [Fact]
    public void Last_name_deletes_image_layers_and_blobs()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("a:1", StoreFixture.Tar(("x", "1")));
        var r = f.Images.Delete("a:1", false, false, Unused);
        Assert.Equal($"Untagged: a:1\nDeleted: {img.Id}\nDeleted: {img.ChainId}", Lines(r));
        Assert.Empty(f.Images.List());
        Assert.Empty(f.Snapshots.ListLayers());
        Assert.Empty(f.Content.List());
    }

    [Fact]
    public void Shared_layers_survive_until_the_last_user_goes()
    {
        using var f = new StoreFixture();
        byte[] basel = StoreFixture.Tar(("base", "b"));
        var one = f.MakeImage("one", basel);
        var two = f.MakeImage("two", basel, StoreFixture.Tar(("top", "t")));
        var r = f.Images.Delete("one", false, false, Unused);
        Assert.Equal($"Untagged: one:latest\nDeleted: {one.Id}", Lines(r));
        Assert.Equal(2, f.Snapshots.ListLayers().Count);
        Assert.Equal("b", File.ReadAllText(Path.Combine(f.Images.LowerDirs(two)[1], "base")));
    }

    [Fact]
    public void Id_with_several_tags_needs_force()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("a:1", StoreFixture.Tar(("x", "1")));
        f.Images.Tag("a:1", "b:2");
        var ex = Assert.Throws<BerthException>(() => f.Images.Delete(img.Id[7..19], false, false, Unused));
        Assert.Equal(ErrorKind.Conflict, ex.Kind);
        Assert.Equal($"conflict: unable to delete {img.Id[7..19]} (must be forced) - image is referenced in multiple repositories", ex.Message);
        var r = f.Images.Delete(img.Id[7..19], true, false, Unused);
        Assert.Equal($"Untagged: a:1\nUntagged: b:2\nDeleted: {img.Id}\nDeleted: {img.ChainId}", Lines(r));
    }

    [Fact]
    public void Image_used_by_a_container_is_a_conflict()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("busybox:latest", StoreFixture.Tar(("x", "1")));
        string cid = new string('c', 64);
        Func<string, ContainerUse?> stopped = id => id == img.Id ? new ContainerUse(cid, false) : null;
        Func<string, ContainerUse?> running = id => id == img.Id ? new ContainerUse(cid, true) : null;
        var ex = Assert.Throws<BerthException>(() => f.Images.Delete("busybox", false, false, stopped));
        Assert.Equal($"conflict: unable to remove repository reference \"busybox\" (must force) - container cccccccccccc is using its referenced image {img.Id[7..19]}", ex.Message);
        ex = Assert.Throws<BerthException>(() => f.Images.Delete(img.Id, false, false, stopped));
        Assert.Equal($"conflict: unable to delete {img.Id[7..19]} (must be forced) - image is being used by stopped container cccccccccccc", ex.Message);
        ex = Assert.Throws<BerthException>(() => f.Images.Delete(img.Id, true, false, running));
        Assert.Contains("(cannot be forced) - image is being used by running container cccccccccccc", ex.Message);
        // Forced by name: the tag goes, the image stays (dangling) for its container.
        var r = f.Images.Delete("busybox", true, false, running);
        Assert.Equal("Untagged: busybox:latest", Lines(r));
        Assert.NotNull(f.Images.TryResolve(img.Id));
        // Forced by ID on a stopped container: the image goes but its layers stay.
        r = f.Images.Delete(img.Id, true, false, stopped);
        Assert.Equal($"Deleted: {img.Id}", Lines(r));
        Assert.Single(f.Snapshots.ListLayers());
    }

    [Fact]
    public void Prune_removes_dangling_and_with_all_unused()
    {
        using var f = new StoreFixture();
        var dangling = f.MakeImage(null, StoreFixture.Tar(("d", "dangling")));
        var tagged = f.MakeImage("keep", StoreFixture.Tar(("k", "k")));
        var used = f.MakeImage("used", StoreFixture.Tar(("u", "u")));
        Func<string, ContainerUse?> inUse = id => id == used.Id ? new ContainerUse("c1", false) : null;
        var p = f.Images.Prune(false, inUse);
        Assert.Equal(new[] { dangling.Id, dangling.ChainId }, p.Deleted.Select(d => d.Deleted));
        Assert.True(p.SpaceReclaimed >= 8);
        p = f.Images.Prune(true, inUse);
        Assert.Equal($"Untagged: keep:latest\nDeleted: {tagged.Id}\nDeleted: {tagged.ChainId}", Lines(p.Deleted));
        Assert.Equal(new[] { used.Id }, f.Images.List().Select(i => i.Id));
    }

    [Fact]
    public void Missing_image_is_NotFound()
    {
        using var f = new StoreFixture();
        var ex = Assert.Throws<BerthException>(() => f.Images.Delete("ghost", false, false, Unused));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("No such image: ghost", ex.Message);
    }
}
