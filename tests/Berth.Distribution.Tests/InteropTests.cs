using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>Our client against distribution 2.8, and skopeo against our server; all peers on loopback.</summary>
public class InteropTests
{
    private const string Skopeo = "/usr/bin/skopeo";

    [RequiresBinaryFact(DistributionRegistry.Binary)]
    public async Task ClientPushesAndPullsAgainstDistribution()
    {
        await using var peer = await DistributionRegistry.StartAsync();
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{peer.HostPort}/interop/app:v1");
        var local = source.MakeImage(name.FamiliarName, "dist");
        using var client = new RegistryClient(new RegistryClientOptions { ChunkSize = 1000 });
        var digest = await new ImagePusher(client).PushAsync(source.Images, name);
        Assert.Equal(local.ManifestDigest, digest.ToString());

        // A second repository on the same registry gets its layers by cross-repository mount.
        var other = ImageReference.Parse($"{peer.HostPort}/interop/other:v1");
        var events = new List<PushProgress>();
        await new ImagePusher(client).PushAsync(source.Images, name.FamiliarName, other, new SyncProgress<PushProgress>(events.Add));
        Assert.Equal(2, events.Count(e => e.Status.StartsWith("Mounted from", StringComparison.Ordinal)));

        using var target = new LocalImages();
        var pulled = await new ImagePuller(client).PullAsync(target.Images, other);
        Assert.Equal(local.Id, pulled.Id);
        Assert.Equal("dist", target.ReadFile(pulled, "etc/seed"));
    }

    [RequiresBinaryFact(Skopeo)]
    public async Task SkopeoCopiesToAndFromOurServerInV2s2AndOci()
    {
        await using var r = await TestRegistry.StartAsync();
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/sk/app:v1");
        var local = source.MakeImage(name.FamiliarName, "skopeo");
        using var client = new RegistryClient();
        await new ImagePusher(client).PushAsync(source.Images, name);
        string S = r.HostPort;

        // skopeo pulls from us and pushes back to us, converting to Docker schema 2 and to OCI.
        await SkopeoAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--format", "v2s2", $"docker://{S}/sk/app:v1", $"docker://{S}/sk/v2s2:v1");
        await SkopeoAsync("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--format", "oci", $"docker://{S}/sk/v2s2:v1", $"docker://{S}/sk/oci:v1");
        Assert.Equal(MediaTypes.DockerManifest, await RawMediaTypeAsync(S, "sk/v2s2:v1"));
        Assert.Equal(MediaTypes.OciManifest, await RawMediaTypeAsync(S, "sk/oci:v1"));

        // Our client pulls what skopeo pushed.
        foreach (var repo in new[] { "sk/v2s2", "sk/oci" })
        {
            using var target = new LocalImages();
            var pulled = await new ImagePuller(client).PullAsync(target.Images, ImageReference.Parse($"{S}/{repo}:v1"));
            Assert.Equal("skopeo", target.ReadFile(pulled, "etc/seed"));
            Assert.StartsWith("payload skopeo", target.ReadFile(pulled, "app/data.txt"));
        }

        // Through an OCI layout on disk and back.
        using var layout = new TempDir("berth-skopeo-layout-");
        await SkopeoAsync("copy", "--src-tls-verify=false", $"docker://{S}/sk/app:v1", $"oci:{layout.Sub("oci")}:v1");
        Assert.True(File.Exists(Path.Combine(layout.Sub("oci"), "index.json")));
        await SkopeoAsync("copy", "--dest-tls-verify=false", $"oci:{layout.Sub("oci")}:v1", $"docker://{S}/sk/fromlayout:v1");
        string tags = await SkopeoAsync("list-tags", "--tls-verify=false", $"docker://{S}/sk/fromlayout");
        using (var doc = JsonDocument.Parse(tags))
            Assert.Equal("v1", doc.RootElement.GetProperty("Tags")[0].GetString());
        await SkopeoAsync("delete", "--tls-verify=false", $"docker://{S}/sk/fromlayout:v1");
        await Assert.ThrowsAsync<BerthException>(() => client.GetManifestAsync(S, "sk/fromlayout", "v1"));
        Assert.NotNull(local);
    }

    private static Task<string> SkopeoAsync(params string[] args) =>
        ExternalTool.RunAsync(Skopeo, new[] { "--insecure-policy" }.Concat(args).ToArray());

    private static async Task<string> RawMediaTypeAsync(string hostPort, string reference)
    {
        string raw = await SkopeoAsync("inspect", "--raw", "--tls-verify=false", $"docker://{hostPort}/{reference}");
        using var doc = JsonDocument.Parse(raw);
        return doc.RootElement.GetProperty("mediaType").GetString()!;
    }
}
