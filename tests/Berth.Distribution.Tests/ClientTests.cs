using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution.Tests;

public class ClientTests
{
    [Fact]
    public async Task PushThenPullRoundTripsAnImage()
    {
        await using var r = await TestRegistry.StartAsync();
        using var source = new LocalImages();
        using var target = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/team/app:v1");
        var local = source.MakeImage(name.FamiliarName, "one");
        using var client = new RegistryClient();

        var pushEvents = new List<PushProgress>();
        var pushed = await new ImagePusher(client).PushAsync(source.Images, name, new SyncProgress<PushProgress>(pushEvents.Add));
        Assert.Equal(local.ManifestDigest, pushed.ToString());
        Assert.Contains(pushEvents, e => e.Status == "Pushed");

        var pullEvents = new List<PullProgress>();
        var pulled = await new ImagePuller(client).PullAsync(target.Images, name, null, new SyncProgress<PullProgress>(pullEvents.Add));
        Assert.Equal(local.Id, pulled.Id);
        Assert.Contains(name.FamiliarName, pulled.RepoTags);
        Assert.Contains($"{r.HostPort}/team/app@{pushed}", pulled.RepoDigests);
        Assert.Equal("one", target.ReadFile(pulled, "etc/seed"));
        Assert.StartsWith("payload one", target.ReadFile(pulled, "app/data.txt"));
        Assert.Contains(pullEvents, e => e.Status == "Pull complete");

        // A second pull finds everything present.
        pullEvents.Clear();
        await new ImagePuller(client).PullAsync(target.Images, name, null, new SyncProgress<PullProgress>(pullEvents.Add));
        Assert.Equal(2, pullEvents.Count(e => e.Status == "Already exists"));
    }

    [Fact]
    public async Task PullByDigestAndConcurrentPullsIntoOneStore()
    {
        await using var r = await TestRegistry.StartAsync();
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/dig/app:v1");
        var local = source.MakeImage(name.FamiliarName, "dg");
        using var client = new RegistryClient();
        var digest = await new ImagePusher(client).PushAsync(source.Images, name);

        using var target = new LocalImages();
        var byDigest = ImageReference.Parse($"{r.HostPort}/dig/app@{digest}");
        var pulls = Enumerable.Range(0, 3).Select(_ => new ImagePuller(client).PullAsync(target.Images, byDigest)).ToList();
        foreach (var image in await Task.WhenAll(pulls))
        {
            Assert.Equal(local.Id, image.Id);
            Assert.Empty(image.RepoTags);
            Assert.Contains($"{r.HostPort}/dig/app@{digest}", image.RepoDigests);
        }
        Assert.Equal("dg", target.ReadFile(target.Images.Resolve(local.Id), "etc/seed"));
    }

    [Fact]
    public async Task ChunkedPushSkipsExistingLayersAndMountsAcrossRepositories()
    {
        await using var r = await TestRegistry.StartAsync();
        using var source = new LocalImages();
        var first = ImageReference.Parse($"{r.HostPort}/one/app:v1");
        source.MakeImage(first.FamiliarName, "c");
        using var client = new RegistryClient(new RegistryClientOptions { ChunkSize = 700 });
        var pusher = new ImagePusher(client);
        await pusher.PushAsync(source.Images, first);

        var again = new List<PushProgress>();
        await pusher.PushAsync(source.Images, first, new SyncProgress<PushProgress>(again.Add));
        Assert.Equal(2, again.Count(e => e.Status == "Layer already exists"));

        var second = ImageReference.Parse($"{r.HostPort}/two/app:v1");
        var mounted = new List<PushProgress>();
        await pusher.PushAsync(source.Images, first.FamiliarName, second, new SyncProgress<PushProgress>(mounted.Add));
        Assert.Equal(2, mounted.Count(e => e.Status == "Mounted from one/app"));

        using var target = new LocalImages();
        var pulled = await new ImagePuller(client).PullAsync(target.Images, second);
        Assert.Equal("c", target.ReadFile(pulled, "etc/seed"));
    }

    [Fact]
    public async Task IndexPullChoosesThePlatform()
    {
        await using var r = await TestRegistry.StartAsync();
        using var source = new LocalImages();
        using var client = new RegistryClient();
        var pusher = new ImagePusher(client);
        var amd = source.MakeImage($"{r.HostPort}/multi:amd64", "x86", "amd64");
        var arm = source.MakeImage($"{r.HostPort}/multi:arm64", "arm", "arm64");
        await pusher.PushAsync(source.Images, ImageReference.Parse($"{r.HostPort}/multi:amd64"));
        await pusher.PushAsync(source.Images, ImageReference.Parse($"{r.HostPort}/multi:arm64"));
        string Entry(Berth.Images.ImageRecord img, string arch) =>
            $"{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{img.ManifestDigest}\",\"size\":{source.Content.Size(Digest.Parse(img.ManifestDigest))},\"platform\":{{\"os\":\"linux\",\"architecture\":\"{arch}\"}}}}";
        var index = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[{Entry(amd, "amd64")},{Entry(arm, "arm64")}]}}");
        var indexDigest = await client.PutManifestAsync(r.HostPort, "multi", "latest", index, MediaTypes.OciIndex);

        using var target = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/multi:latest");
        var pulledArm = await new ImagePuller(client).PullAsync(target.Images, name, new PullOptions { Platform = "linux/arm64" });
        Assert.Equal(arm.Id, pulledArm.Id);
        Assert.Contains($"{r.HostPort}/multi@{indexDigest}", pulledArm.RepoDigests);
        var pulledDefault = await new ImagePuller(client).PullAsync(target.Images, name);
        Assert.Equal(amd.Id, pulledDefault.Id);

        var e = await Assert.ThrowsAsync<BerthException>(() => new ImagePuller(client).PullAsync(target.Images, name, new PullOptions { Platform = "linux/s390x" }));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("linux/s390x", e.Message);
        Assert.Contains("linux/arm64", e.Message);
        Assert.Contains("os/arch", Assert.Throws<BerthException>(() => PlatformSpec.Parse("linux")).Message);
    }

    [Fact]
    public async Task InterruptedBlobDownloadResumesWithRange()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = new byte[200_000];
        new Random(3).NextBytes(data);
        var d = await r.PushBlobAsync("big/blob", data);
        var ranges = new List<string>();
        using var client = new RegistryClient(new RegistryClientOptions
        {
            WrapHandler = inner => new CuttingHandler(inner, cutAfter: 70_000, ranges),
        });
        using var store = new LocalImages();
        await client.DownloadBlobAsync(r.HostPort, "big/blob", d, data.Length, store.Content);
        Assert.Equal(data, store.Content.ReadAllBytes(d));
        Assert.Contains(ranges, x => x.StartsWith("bytes=", StringComparison.Ordinal) && !x.StartsWith("bytes=0-", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Content.Root, "ingest")));
    }

    [Fact]
    public async Task CorruptBlobOnTheRegistryIsRejectedAndNotStored()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = Encoding.UTF8.GetBytes("genuine content");
        var d = await r.PushBlobAsync("bad/blob", data);
        // Tamper with the server's copy behind its back.
        File.WriteAllBytes(Path.Combine(r.Root, "content", "blobs", "sha256", d.Hex), Encoding.UTF8.GetBytes("tampered content"));
        using var client = new RegistryClient();
        using var store = new LocalImages();
        var e = await Assert.ThrowsAsync<BerthException>(() => client.DownloadBlobAsync(r.HostPort, "bad/blob", d, data.Length, store.Content));
        Assert.Contains(d.ToString(), e.Message);
        Assert.False(store.Content.Has(d));
        Assert.Empty(Directory.GetFiles(Path.Combine(store.Content.Root, "ingest")));
    }

    [Fact]
    public async Task MissingManifestIsNotFound()
    {
        await using var r = await TestRegistry.StartAsync();
        using var client = new RegistryClient();
        using var store = new LocalImages();
        var e = await Assert.ThrowsAsync<BerthException>(() => new ImagePuller(client).PullAsync(store.Images, ImageReference.Parse($"{r.HostPort}/no/such:tag")));
        Assert.Equal(ErrorKind.NotFound, e.Kind);
        Assert.Contains("no/such:tag", e.Message);
    }

    [Fact]
    public async Task BasicAuthWithRightAndWrongCredentials()
    {
        var dir = new TempDir("berth-registry-basic-");
        string htpasswd = ServerAuthTests.WriteHtpasswd(dir, "bob", "hunter2");
        await using var r = await TestRegistry.StartAsync(htpasswd, dir: dir);
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/private/app:v1");
        source.MakeImage(name.FamiliarName);

        using var anonymous = new RegistryClient();
        var e = await Assert.ThrowsAsync<BerthException>(() => new ImagePusher(anonymous).PushAsync(source.Images, name));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);

        using var wrong = new RegistryClient(new RegistryClientOptions { Credentials = _ => new RegistryCredentials("bob", "nope") });
        e = await Assert.ThrowsAsync<BerthException>(() => new ImagePusher(wrong).PushAsync(source.Images, name));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);

        using var right = new RegistryClient(new RegistryClientOptions { Credentials = reg => reg == r.HostPort ? new RegistryCredentials("bob", "hunter2") : null });
        await new ImagePusher(right).PushAsync(source.Images, name);
        using var target = new LocalImages();
        await new ImagePuller(right).PullAsync(target.Images, name);
    }

    [Fact]
    public async Task BearerTokenAuthAnonymousAndWithCredentials()
    {
        await using var r = await TestRegistry.StartAsync();
        await using var proxy = await TokenAuthProxy.StartAsync(r.Server.BaseAddress, requireUser: ("carol", "pw"));
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{proxy.HostPort}/tok/app:v1");
        source.MakeImage(name.FamiliarName, "tok");

        using var anonymous = new RegistryClient();
        var e = await Assert.ThrowsAsync<BerthException>(() => new ImagePusher(anonymous).PushAsync(source.Images, name));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);
        Assert.All(proxy.TokenRequests, a => Assert.Equal("", a));
        lock (proxy.Scopes) proxy.TokenRequests.Clear();

        using var client = new RegistryClient(new RegistryClientOptions { Credentials = _ => new RegistryCredentials("carol", "pw") });
        await new ImagePusher(client).PushAsync(source.Images, name);
        using var target = new LocalImages();
        var pulled = await new ImagePuller(client).PullAsync(target.Images, name);
        Assert.Equal("tok", target.ReadFile(pulled, "etc/seed"));
        Assert.Contains("repository:tok/app:pull,push", proxy.Scopes);
        Assert.Contains("repository:tok/app:pull", proxy.Scopes);
        Assert.All(proxy.TokenRequests, a => Assert.StartsWith("Basic ", a));

        await using var open = await TokenAuthProxy.StartAsync(r.Server.BaseAddress, requireUser: null);
        using var anon2 = new RegistryClient();
        var m = await anon2.GetManifestAsync(open.HostPort, "tok/app", "v1");
        Assert.Equal(MediaTypes.OciManifest, m.MediaType);
    }

    [Fact]
    public async Task PushAndPullOverTlsOnLoopback()
    {
        var dir = new TempDir("berth-registry-tls-client-");
        var (cert, key) = ServerAuthTests.WriteSelfSignedPem(dir);
        await using var r = await TestRegistry.StartAsync(cert: cert, key: key, dir: dir);
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/secure/app:v1");
        source.MakeImage(name.FamiliarName, "tls");
        using var client = new RegistryClient();
        Assert.Equal("https", (await client.PingAsync(r.HostPort)).Scheme);
        await new ImagePusher(client).PushAsync(source.Images, name);
        using var target = new LocalImages();
        var pulled = await new ImagePuller(client).PullAsync(target.Images, name);
        Assert.Equal("tls", target.ReadFile(pulled, "etc/seed"));
    }

    [Fact]
    public async Task UnreachableRegistryIsAClearError()
    {
        int port = ExternalTool.FreePort();
        using var client = new RegistryClient();
        var e = await Assert.ThrowsAsync<BerthException>(() => client.PingAsync($"127.0.0.1:{port}"));
        Assert.Contains($"127.0.0.1:{port}", e.Message);
    }

    [Fact]
    public void EndpointsAndInsecureHosts()
    {
        Assert.Equal("registry-1.docker.io", RegistryClient.EndpointHost("docker.io"));
        Assert.Equal("localhost:5000", RegistryClient.EndpointHost("localhost:5000"));
        using var client = new RegistryClient(new RegistryClientOptions { InsecureRegistries = new[] { "myreg.local:5000" } });
        Assert.True(client.IsInsecure("127.0.0.1:5000"));
        Assert.True(client.IsInsecure("localhost"));
        Assert.True(client.IsInsecure("[::1]:5000"));
        Assert.True(client.IsInsecure("myreg.local:5000"));
        Assert.False(client.IsInsecure("myreg.local"));
        Assert.False(client.IsInsecure("docker.io"));
        var c = AuthChallenge.Parse("Bearer realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:a/b:pull,push\"")!;
        Assert.Equal("Bearer", c.Scheme);
        Assert.Equal("repository:a/b:pull,push", c["scope"]);
        Assert.Equal("reg", c["service"]);
    }
}

/// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would race the assertions).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly object _gate = new();
    public void Report(T value)
    {
        lock (_gate) report(value);
    }
}

/// <summary>Cuts the first blob GET response after some bytes, as a dropped connection would, and records Range headers.</summary>
internal sealed class CuttingHandler(HttpMessageHandler inner, int cutAfter, List<string> ranges) : DelegatingHandler(inner)
{
    private int _cut;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (request.Headers.Range != null) lock (ranges) ranges.Add(request.Headers.Range.ToString());
        var res = await base.SendAsync(request, ct);
        if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.Contains("/blobs/") && Interlocked.Exchange(ref _cut, 1) == 0)
        {
            var body = await res.Content.ReadAsByteArrayAsync(ct);
            var cut = new StreamContent(new FailingStream(body.AsMemory(0, Math.Min(cutAfter, body.Length)).ToArray()));
            foreach (var h in res.Content.Headers) cut.Headers.TryAddWithoutValidation(h.Key, h.Value);
            res.Content = cut;
        }
        return res;
    }

    private sealed class FailingStream(byte[] prefix) : MemoryStream(prefix)
    {
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = base.Read(buffer, offset, count);
            return n > 0 ? n : throw new IOException("connection reset (simulated)");
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            int n = await base.ReadAsync(buffer, ct);
            return n > 0 ? n : throw new IOException("connection reset (simulated)");
        }
    }
}
