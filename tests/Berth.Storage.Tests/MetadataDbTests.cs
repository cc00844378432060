namespace Berth.Storage.Tests;

public class MetadataDbTests
{
    [Fact]
    public void Put_get_list_delete()
    {
        using var tmp = new TempDir();
        using var db = new MetadataDb(tmp.Sub("meta.db"));
        db.Put("image", "b", "{\"n\":2}");
        db.Put("image", "a", "{\"n\":1}");
        db.Put("container", "a", "{}");
        db.Put("image", "a", "{\"n\":3}");
        Assert.Equal("{\"n\":3}", db.Get("image", "a"));
        Assert.Null(db.Get("image", "zz"));
        Assert.Equal(new[] { "a", "b" }, db.List("image").Select(x => x.Id));
        Assert.True(db.Delete("image", "a"));
        Assert.False(db.Delete("image", "a"));
        Assert.Single(db.List("image"));
    }

    [Fact]
    public void Transaction_rolls_back_on_exception()
    {
        using var tmp = new TempDir();
        using var db = new MetadataDb(tmp.Sub("meta.db"));
        db.Put("k", "keep", "1");
        Assert.Throws<InvalidOperationException>(() => db.InTransaction(d =>
        {
            d.Put("k", "new", "2");
            d.Delete("k", "keep");
            throw new InvalidOperationException("boom");
        }));
        Assert.Equal("1", db.Get("k", "keep"));
        Assert.Null(db.Get("k", "new"));
        db.InTransaction(d => { d.Put("k", "new", "2"); d.InTransaction(d2 => d2.Put("k", "nested", "3")); });
        Assert.Equal(3, db.List("k").Count);
    }

    [Fact]
    public void Survives_reopen_and_concurrent_writers()
    {
        using var tmp = new TempDir();
        string path = tmp.Sub("meta.db");
        using (var db = new MetadataDb(path))
            Parallel.For(0, 200, i => db.Put("n", i.ToString("D3"), i.ToString()));
        using var again = new MetadataDb(path);
        Assert.Equal(200, again.List("n").Count);
    }
}
