using Berth.Core;

namespace Berth.Images.Tests;

[Trait("Category", "Root")]
public class ImageStoreTests
{
    [Fact]
    public void Create_records_ids_size_and_layers()
    {
        using var f = new StoreFixture();
        byte[] l1 = StoreFixture.Tar(("a", "12345")), l2 = StoreFixture.Tar(("b", "xyz"));
        var img = f.MakeImage("app:v1", l1, l2);
        Assert.StartsWith("sha256:", img.Id);
        Assert.True(f.Content.Has(Digest.Parse(img.Id)));
        Assert.Equal(Digest.Parse(img.Id), Digest.Sha256(f.Content.ReadAllBytes(Digest.Parse(img.Id))));
        Assert.Equal(new[] { "app:v1" }, img.RepoTags);
        Assert.Equal(8, img.Size);
        Assert.Equal(new[] { Digest.Sha256(l1).ToString(), Digest.Sha256(l2).ToString() }, img.Config.RootFs.DiffIds);
        Assert.Equal(2, f.Images.LowerDirs(img).Count);
        Assert.Equal("xyz", File.ReadAllText(Path.Combine(f.Images.LowerDirs(img)[0], "b")));
        // Same content, same ID.
        var again = f.MakeImage("app:v2", l1, l2);
        Assert.Equal(img.Id, again.Id);
        Assert.Equal(new[] { "app:v1", "app:v2" }, f.Images.Resolve(img.Id).RepoTags);
    }

    [Fact]
    public void Resolves_ids_prefixes_names_and_digests()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("busybox:latest", StoreFixture.Tar(("x", "1")));
        f.Images.Tag("busybox", "localhost:5000/team/app:1.0");
        string hex = img.Id[7..];
        Assert.Equal(img.Id, f.Images.Resolve(img.Id).Id);
        Assert.Equal(img.Id, f.Images.Resolve(hex).Id);
        Assert.Equal(img.Id, f.Images.Resolve(hex[..1]).Id);
        Assert.Equal(img.Id, f.Images.Resolve("sha256:" + hex[..5]).Id);
        Assert.Equal(img.Id, f.Images.Resolve("busybox").Id);
        Assert.Equal(img.Id, f.Images.Resolve("busybox:latest").Id);
        Assert.Equal(img.Id, f.Images.Resolve("docker.io/library/busybox:latest").Id);
        Assert.Equal(img.Id, f.Images.Resolve("localhost:5000/team/app:1.0").Id);
        Assert.Equal(img.Id, f.Images.Resolve("busybox@" + img.ManifestDigest).Id);
        Assert.Null(f.Images.TryResolve("busybox:other"));
        Assert.Null(f.Images.TryResolve("nosuch"));
        var ex = Assert.Throws<BerthException>(() => f.Images.Resolve("nosuch:tag"));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Equal("No such image: nosuch:tag", ex.Message);
    }

    [Fact]
    public void Tag_moves_between_images_and_rejects_bad_targets()
    {
        using var f = new StoreFixture();
        var a = f.MakeImage("app:latest", StoreFixture.Tar(("a", "1")));
        var b = f.MakeImage(null, StoreFixture.Tar(("b", "2")));
        f.Images.Tag(b.Id, "app");
        Assert.Equal(b.Id, f.Images.Resolve("app:latest").Id);
        Assert.Empty(f.Images.Resolve(a.Id).RepoTags);
        var ex = Assert.Throws<BerthException>(() => f.Images.Tag("app", "Bad/Name"));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("Bad/Name", ex.Message);
        ex = Assert.Throws<BerthException>(() => f.Images.Tag("app", "x@" + a.Id));
        Assert.Contains("digest", ex.Message);
        Assert.Equal(ErrorKind.NotFound, Assert.Throws<BerthException>(() => f.Images.Tag("ghost", "x")).Kind);
    }

    [Fact]
    public void History_lists_newest_first_with_missing_ids_below_top()
    {
        using var f = new StoreFixture();
        var img = f.MakeImage("h:1", StoreFixture.Tar(("a", "12345")), StoreFixture.Tar(("b", "xyz")));
        var h = f.Images.History("h:1");
        Assert.Equal(2, h.Count);
        Assert.Equal(img.Id, h[0].Id);
        Assert.Equal(new[] { "h:1" }, h[0].Tags);
        Assert.Equal("layer 1", h[0].CreatedBy);
        Assert.Equal(3, h[0].Size);
        Assert.Equal("<missing>", h[1].Id);
        Assert.Equal(5, h[1].Size);
    }
}
