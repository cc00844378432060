using System.Text;
using Berth.Core;

namespace Berth.Storage.Tests;

public class ContentStoreTests
{
    [Fact]
    public async Task Write_then_read_back_by_digest()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        byte[] data = Encoding.UTF8.GetBytes("hello blob");
        var (digest, size) = await store.WriteAsync(new MemoryStream(data));
        Assert.Equal(Digest.Sha256(data), digest);
        Assert.Equal(data.Length, size);
        Assert.True(store.Has(digest));
        Assert.Equal(data.Length, store.Size(digest));
        Assert.Equal(data, store.ReadAllBytes(digest));
        Assert.Equal(Path.Combine(tmp.Path, "blobs", "sha256", digest.Hex), store.BlobPath(digest));
        Assert.Contains(digest, store.List());
        store.Delete(digest);
        Assert.False(store.Has(digest));
    }

    [Fact]
    public async Task Digest_mismatch_names_both_and_leaves_nothing()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        var wrong = Digest.Sha256("other"u8);
        var ex = await Assert.ThrowsAsync<BerthException>(() => store.WriteAsync(new MemoryStream("data"u8.ToArray()), wrong));
        Assert.Equal(ErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains(wrong.ToString(), ex.Message);
        Assert.Contains(Digest.Sha256("data"u8).ToString(), ex.Message);
        Assert.Empty(store.List());
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "ingest")));
    }

    [Fact]
    public async Task Size_mismatch_is_rejected()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        var ex = await Assert.ThrowsAsync<BerthException>(() => store.WriteAsync(new MemoryStream("data"u8.ToArray()), expectedSize: 3));
        Assert.Contains("size mismatch", ex.Message);
        ex = await Assert.ThrowsAsync<BerthException>(() => store.WriteAsync(new MemoryStream("data"u8.ToArray()), expectedSize: 5));
        Assert.Contains("expected 5 bytes, got 4", ex.Message);
        Assert.Empty(store.List());
    }

    [Fact]
    public void Missing_blob_is_NotFound()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        var d = Digest.Sha256("nothing"u8);
        var ex = Assert.Throws<BerthException>(() => store.OpenRead(d));
        Assert.Equal(ErrorKind.NotFound, ex.Kind);
        Assert.Contains(d.ToString(), ex.Message);
    }

    [Fact]
    public async Task Concurrent_writes_of_the_same_blob_are_safe()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        byte[] data = new byte[300_000];
        new Random(7).NextBytes(data);
        var tasks = Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.WriteAsync(new MemoryStream(data)))).ToArray();
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.Equal(Digest.Sha256(data), r.Digest));
        Assert.Single(store.List());
        Assert.Equal(data, store.ReadAllBytes(results[0].Digest));
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "ingest")));
    }

    [Fact]
    public void WriteBytes_is_idempotent()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        var a = store.WriteBytes("x"u8);
        var b = store.WriteBytes("x"u8);
        Assert.Equal(a, b);
        Assert.Single(store.List());
    }

    [Fact]
    public void Stale_ingest_files_are_removed_on_request()
    {
        using var tmp = new TempDir();
        var store = new ContentStore(tmp.Path);
        File.WriteAllText(Path.Combine(tmp.Path, "ingest", "partial"), "half");
        Directory.CreateDirectory(Path.Combine(tmp.Path, "ingest", "load-x", "sub"));
        var kept = store.WriteBytes("kept"u8);
        store.RemoveStaleIngest();
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(tmp.Path, "ingest")));
        Assert.True(store.Has(kept.Digest));
    }
}
