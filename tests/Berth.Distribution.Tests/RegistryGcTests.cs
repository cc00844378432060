using System.Net;
using System.Text;
using Berth.Core;

namespace Berth.Distribution.Tests;

public class RegistryGcTests
{
    [Fact]
    public async Task GcKeepsReferencedBlobsAndSweepsOldUnreferencedOnes()
    {
        await using var r = await TestRegistry.StartAsync();
        var (manifest, _) = await r.PushImageAsync("gc/app", "v1");
        var orphan = await r.PushBlobAsync("gc/app", Encoding.UTF8.GetBytes("orphan"));
        string blobs = Path.Combine(r.Root, "content", "blobs", "sha256");
        // Age every blob so the sweep considers them; then add a fresh orphan that a push may still be about to use.
        foreach (var f in Directory.GetFiles(blobs)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-1));
        var fresh = await r.PushBlobAsync("gc/app", Encoding.UTF8.GetBytes("fresh"));

        var result = RegistryGc.Run(r.Root);

        Assert.Equal(1, result.BlobsRemoved);
        Assert.False(File.Exists(Path.Combine(blobs, orphan.Hex)));
        Assert.True(File.Exists(Path.Combine(blobs, fresh.Hex)));
        using (var gone = await r.Http.GetAsync($"/v2/gc/app/blobs/{orphan}")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var m = await r.Http.GetAsync("/v2/gc/app/manifests/v1");
        Assert.Equal(HttpStatusCode.OK, m.StatusCode);
        Assert.Equal(manifest.ToString(), m.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(4, Directory.GetFiles(blobs).Length);
    }

    [Fact]
    public async Task GcSweepsBlobsOfDeletedManifests()
    {
        await using var r = await TestRegistry.StartAsync();
        var (manifest, _) = await r.PushImageAsync("gc/b", "v1");
        using (var del = await r.Http.DeleteAsync($"/v2/gc/b/manifests/{manifest}")) Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        string blobs = Path.Combine(r.Root, "content", "blobs", "sha256");
        foreach (var f in Directory.GetFiles(blobs)) File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-1));
        var result = RegistryGc.Run(r.Root);
        Assert.Equal(3, result.BlobsRemoved);
        Assert.Empty(Directory.GetFiles(blobs));
    }

    [Fact]
    public async Task GcDropsStaleUploadsAndRunsFromTheCommandLine()
    {
        await using var r = await TestRegistry.StartAsync();
        using var stale = await r.Http.PostAsync("/v2/up/blobs/uploads/", null);
        using var live = await r.Http.PostAsync("/v2/up/blobs/uploads/", null);
        string staleId = stale.Headers.GetValues("Docker-Upload-UUID").Single();
        string dir = Path.Combine(r.Root, "uploads", staleId);
        File.SetLastWriteTimeUtc(Path.Combine(dir, "data"), DateTime.UtcNow.AddDays(-2));

        Assert.Equal(0, RegistryCommand.Run(new[] { "garbage-collect", "--root", r.Root }));

        using (var s = await r.Http.GetAsync(stale.Headers.Location)) Assert.Equal(HttpStatusCode.NotFound, s.StatusCode);
        using (var l = await r.Http.GetAsync(live.Headers.Location)) Assert.Equal(HttpStatusCode.NoContent, l.StatusCode);
    }

    [Fact]
    public async Task GcWhileImagesArePushedLosesNothing()
    {
        await using var r = await TestRegistry.StartAsync();
        using var source = new LocalImages();
        using var client = new RegistryClient();
        var names = Enumerable.Range(0, 6).Select(i => ImageReference.Parse($"{r.HostPort}/busy/app{i % 2}:t{i}")).ToList();
        foreach (var (n, i) in names.Select((n, i) => (n, i))) source.MakeImage(n.FamiliarName, "s" + i);
        using var stop = new CancellationTokenSource();
        var gc = Task.Run(async () =>
        {
            int runs = 0;
            while (!stop.IsCancellationRequested || runs == 0)
            {
                RegistryGc.Run(r.Root);
                runs++;
                await Task.Yield();
            }
            return runs;
        });
        var pusher = new ImagePusher(client);
        foreach (var n in names) await pusher.PushAsync(source.Images, n);
        stop.Cancel();
        Assert.True(await gc > 0);
        RegistryGc.Run(r.Root);

        using var target = new LocalImages();
        foreach (var (n, i) in names.Select((n, i) => (n, i)))
        {
            var pulled = await new ImagePuller(client).PullAsync(target.Images, n);
            Assert.Equal("s" + i, target.ReadFile(pulled, "etc/seed"));
        }
    }
}
