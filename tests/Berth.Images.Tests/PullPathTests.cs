using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Images.Tests;

/// <summary>What a pull does: Docker schema 2 manifest, gzip layers and config in the content store, then AddFromManifest.</summary>
[Trait("Category", "Root")]
public class PullPathTests
{
    [Fact]
    public void Docker_manifest_with_gzip_layers_is_recorded_with_its_repo_digest()
    {
        using var f = new StoreFixture();
        byte[] tar = StoreFixture.Tar(("etc/", ""), ("etc/motd", "pulled"));
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, true)) z.Write(tar);
        var (layer, layerSize) = f.Content.WriteBytes(gz.ToArray());
        var config = new ImageConfigFile
        {
            Created = DateTimeOffset.UnixEpoch,
            RootFs = new RootFs { DiffIds = { Digest.Sha256(tar).ToString() } },
            Config = new ContainerRunConfig { Cmd = new() { "/bin/sh" } },
        };
        var (cfg, cfgSize) = f.Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(config, OciJson.Default.ImageConfigFile));
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = cfg.ToString(), Size = cfgSize },
            Layers = { new Descriptor { MediaType = MediaTypes.DockerLayerGzip, Digest = layer.ToString(), Size = layerSize } },
        };
        var (md, _) = f.Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, OciJson.Default.ImageManifest));

        var img = f.Images.AddFromManifest(md, new[] { "registry.local:5000/team/app:1" }, "registry.local:5000/team/app@" + md);
        Assert.Equal(cfg.ToString(), img.Id);
        Assert.Equal(new[] { "registry.local:5000/team/app:1" }, img.RepoTags);
        Assert.Equal(new[] { "registry.local:5000/team/app@" + md }, img.RepoDigests);
        Assert.Equal(img.Id, f.Images.Resolve("registry.local:5000/team/app@" + md).Id);
        Assert.Equal("pulled", File.ReadAllText(Path.Combine(f.Images.LowerDirs(img)[0], "etc/motd")));

        // A config whose DiffIDs do not match the layers is refused.
        config.RootFs.DiffIds[0] = Digest.Sha256("other"u8).ToString();
        var (badCfg, badSize) = f.Content.WriteBytes(JsonSerializer.SerializeToUtf8Bytes(config, OciJson.Default.ImageConfigFile));
        manifest.Config = new Descriptor { MediaType = MediaTypes.DockerConfig, Digest = badCfg.ToString(), Size = badSize };
        var (badMd, _) = f.Content.WriteBytes(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(manifest, OciJson.Default.ImageManifest)));
        var ex = Assert.Throws<BerthException>(() => f.Images.AddFromManifest(badMd));
        Assert.Contains("diffID mismatch", ex.Message);
        Assert.Null(f.Images.TryResolve(badCfg.ToString()));
    }
}
