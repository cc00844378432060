using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Berth.Integration.Tests;

/// <summary>
/// Images whose layers are uncompressed (OCI and Docker media types), gzip or zstd, pulled and run through the daemon from a
/// real registry; the diff IDs must come out right, and a zstd layer whose digest or diff ID lies leaves nothing behind.
/// </summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class LayerCompressionTests(DaemonFixture fixture, ITestOutputHelper output)
{
    private const string Skopeo = "/usr/bin/skopeo";
    private readonly BerthDaemon _d = fixture.Daemon;
    private static readonly byte[] Busybox = File.ReadAllBytes("/bin/busybox");

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    private CommandResult OkSkopeo(params string[] args)
    {
        var r = _d.Run(Skopeo, ["--insecure-policy", .. args], null, 120_000);
        Assert.True(r.ExitCode == 0, "skopeo " + string.Join(' ', args) + ": " + r);
        return r;
    }

    /// <summary>Two layers, both unique to this call (so the daemon has to unpack them): busybox with a marker, and a data file.</summary>
    private static (byte[] Tar1, byte[] Tar2, string Marker) MakeLayers(string name)
    {
        string marker = name + "-" + Guid.NewGuid().ToString("N")[..8];
        byte[] tar1 = ImageUpload.Tar(("bin/busybox", Busybox), ("etc/marker", Encoding.UTF8.GetBytes(marker)));
        byte[] tar2 = ImageUpload.Tar(("data/payload", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(marker + "\n", 5000)))));
        return (tar1, tar2, marker);
    }

    private static string[] MarkerCmd => ["/bin/busybox", "sh", "-c", "cat /etc/marker; echo; /bin/busybox wc -l < /data/payload"];

    /// <summary>Pulls <paramref name="image"/> (both layers unpacked here), checks its diff IDs, runs it, removes it.</summary>
    private void PullRunAndCheck(string image, string marker, params string[] diffIds)
    {
        var pull = Ok("pull", image);
        Assert.Equal(2, pull.Stdout.Split('\n').Count(l => l.EndsWith(": Pull complete", StringComparison.Ordinal)));
        Assert.DoesNotContain("Already exists", pull.Stdout);
        using (var layers = JsonDocument.Parse(_d.Out("image", "inspect", "--format", "{{json .RootFS.Layers}}", image)))
            Assert.Equal(diffIds, layers.RootElement.EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(marker + "\n5000\n", Ok("run", "--rm", image).Stdout);
        Ok("rmi", image);
    }

    [Fact]
    public async Task UncompressedLayersInOciAndDockerManifestsPullAndRun()
    {
        using var registry = LoopbackRegistry.StartDistribution() ?? LoopbackRegistry.StartBerth(_d.Binary);
        foreach (var (repo, manifestType, layerType) in new[]
                 {
                     ("plain/oci", ImageUpload.OciManifest, ImageUpload.OciLayerTar),
                     ("plain/docker", ImageUpload.DockerManifest, ImageUpload.DockerLayerTar),
                 })
        {
            var (tar1, tar2, marker) = MakeLayers(repo);
            string d1 = ImageUpload.Sha256(tar1), d2 = ImageUpload.Sha256(tar2);
            // Uncompressed: the blob digest is the diff ID.
            await ImageUpload.PushAsync(registry.HostPort, repo, "v1", [new UploadLayer(tar1, layerType, d1), new UploadLayer(tar2, layerType, d2)], manifestType, MarkerCmd);
            PullRunAndCheck($"{registry.HostPort}/{repo}:v1", marker, d1, d2);
        }
    }

    [Fact]
    public async Task ZstdAndGzipLayersMadeBySkopeoPullRunAndPushBackUnchanged()
    {
        if (!File.Exists(Skopeo))
        {
            output.WriteLine("SKIPPED: skopeo is not installed");
            return;
        }
        using var registry = LoopbackRegistry.StartDistribution() ?? LoopbackRegistry.StartBerth(_d.Binary);
        foreach (var (compression, format, layerType) in new[]
                 {
                     ("zstd", "oci", "application/vnd.oci.image.layer.v1.tar+zstd"),
                     ("gzip", "v2s2", "application/vnd.docker.image.rootfs.diff.tar.gzip"),
                 })
        {
            var (tar1, tar2, marker) = MakeLayers(compression);
            string d1 = ImageUpload.Sha256(tar1), d2 = ImageUpload.Sha256(tar2);
            string source = $"{registry.HostPort}/src/{compression}:v1", image = $"{registry.HostPort}/{compression}/app:v1";
            await ImageUpload.PushAsync(registry.HostPort, $"src/{compression}", "v1",
                [new UploadLayer(tar1, ImageUpload.OciLayerTar, d1), new UploadLayer(tar2, ImageUpload.OciLayerTar, d2)], ImageUpload.OciManifest, MarkerCmd);
            OkSkopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--format", format, "--dest-compress-format", compression,
                "docker://" + source, "docker://" + image);
            string raw = OkSkopeo("inspect", "--tls-verify=false", "--raw", "docker://" + image).Stdout;
            string digest = OkSkopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}", "docker://" + image).Stdout.Trim();
            using (var manifest = JsonDocument.Parse(raw))
            {
                var layers = manifest.RootElement.GetProperty("layers").EnumerateArray().ToList();
                Assert.All(layers, l => Assert.Equal(layerType, l.GetProperty("mediaType").GetString()));
                byte[] blob = await ImageUpload.GetBlobAsync(registry.HostPort, $"{compression}/app", layers[0].GetProperty("digest").GetString()!);
                Assert.Equal(compression == "zstd" ? new byte[] { 0x28, 0xb5, 0x2f, 0xfd } : [0x1f, 0x8b], blob[..(compression == "zstd" ? 4 : 2)]);
            }
            PullRunAndCheck(image, marker, d1, d2);

            // Pulled again and pushed elsewhere, the image keeps its layers as they were: the same manifest digest.
            Ok("pull", image);
            string copy = $"{registry.HostPort}/{compression}/copy:v1";
            Ok("tag", image, copy);
            Assert.Contains("v1: digest: " + digest, Ok("push", copy).Stdout);
            Ok("rmi", image, copy);
        }
    }

    [Fact]
    public async Task AZstdLayerWhoseDigestOrDiffIdLiesIsRejectedAndNothingIsStored()
    {
        if (!File.Exists(Skopeo))
        {
            output.WriteLine("SKIPPED: skopeo is not installed");
            return;
        }
        using var registry = LoopbackRegistry.StartDistribution() ?? LoopbackRegistry.StartBerth(_d.Binary);
        var (tar1, tar2, _) = MakeLayers("liar");
        string d1 = ImageUpload.Sha256(tar1), d2 = ImageUpload.Sha256(tar2);
        await ImageUpload.PushAsync(registry.HostPort, "src/liar", "v1",
            [new UploadLayer(tar1, ImageUpload.OciLayerTar, d1), new UploadLayer(tar2, ImageUpload.OciLayerTar, d2)], ImageUpload.OciManifest, MarkerCmd);
        string zstdImage = $"{registry.HostPort}/zstd/liar:v1";
        OkSkopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--format", "oci", "--dest-compress-format", "zstd",
            $"docker://{registry.HostPort}/src/liar:v1", "docker://" + zstdImage);
        string raw = OkSkopeo("inspect", "--tls-verify=false", "--raw", "docker://" + zstdImage).Stdout;
        string[] zstdDigests;
        using (var manifest = JsonDocument.Parse(raw))
            zstdDigests = manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToArray();
        var zstdLayers = new List<UploadLayer>();
        foreach (var (digest, diffId) in zstdDigests.Zip([d1, d2]))
            zstdLayers.Add(new UploadLayer(await ImageUpload.GetBlobAsync(registry.HostPort, "zstd/liar", digest), "application/vnd.oci.image.layer.v1.tar+zstd", diffId));

        string blobs = Path.Combine(_d.DataRoot, "content", "blobs", "sha256"), snapshots = Path.Combine(_d.DataRoot, "snapshots");
        string ingest = Path.Combine(_d.DataRoot, "content", "ingest");
        int Count(string dir) => Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir).Length : 0;
        int blobsBefore = Count(blobs), snapshotsBefore = Count(snapshots);
        string imagesBefore = Ok("images", "-q", "--no-trunc").Stdout;
        void NothingStored(CommandResult r, string error)
        {
            Assert.True(r.ExitCode == 1, r.ToString());
            Assert.Contains(error, r.Stderr);
            Assert.Equal(imagesBefore, Ok("images", "-q", "--no-trunc").Stdout);
            Assert.Equal(blobsBefore, Count(blobs));
            Assert.Equal(snapshotsBefore, Count(snapshots));
            Assert.Empty(Directory.GetFiles(ingest, "pull-*"));
        }

        // The config's diff ID for the zstd layer is not what the layer decompresses to.
        string wrong = ImageUpload.Sha256(Encoding.UTF8.GetBytes("not this layer"));
        await ImageUpload.PushAsync(registry.HostPort, "zstd/wrongdiff", "v1", zstdLayers, ImageUpload.OciManifest, MarkerCmd, [d1, wrong]);
        NothingStored(_d.Berth("pull", $"{registry.HostPort}/zstd/wrongdiff:v1"), $"diffID mismatch: expected {wrong}, got {d2}");

        // The registry's copy of the zstd layer no longer matches its digest.
        string hex = zstdDigests[1]["sha256:".Length..];
        string stored = Directory.EnumerateFiles(registry.StorageDir, "*", SearchOption.AllDirectories)
            .Single(f => f.Contains(hex, StringComparison.Ordinal) && !f.Contains("_layers", StringComparison.Ordinal) && !f.EndsWith("link", StringComparison.Ordinal));
        byte[] bytes = File.ReadAllBytes(stored);
        bytes[bytes.Length / 2] ^= 0xff;
        File.WriteAllBytes(stored, bytes);
        NothingStored(_d.Berth("pull", zstdImage), $"blob {zstdDigests[1]} from {registry.HostPort}/zstd/liar: got {bytes.Length} bytes with digest sha256:");
    }
}
