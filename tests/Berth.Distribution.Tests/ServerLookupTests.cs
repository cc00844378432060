using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>
/// Lookups the spec lets fail only with 404 (a missing blob or manifest), and manifests whose layers the registry
/// is not meant to hold.
/// </summary>
public class ServerLookupTests
{
    private static readonly string Sha512 = "sha512:" + new string('a', 128);

    [Theory]
    [InlineData("GET", "blobs", "BLOB_UNKNOWN")]
    [InlineData("HEAD", "blobs", null)]
    [InlineData("DELETE", "blobs", "BLOB_UNKNOWN")]
    [InlineData("GET", "manifests", "MANIFEST_UNKNOWN")]
    [InlineData("HEAD", "manifests", null)]
    [InlineData("DELETE", "manifests", "MANIFEST_UNKNOWN")]
    public async Task Sha512LookupsAreNotFoundAndSayWhy(string method, string kind, string? code)
    {
        await using var r = await TestRegistry.StartAsync();
        await r.PushImageAsync("look", "latest");
        var (status, body) = await r.RawAsync(method, $"/v2/look/{kind}/{Sha512}");
        Assert.Equal(404, status);
        if (code != null)
        {
            Assert.Contains(code, body);
            Assert.Contains("only sha256", body);
        }
    }

    [Fact]
    public async Task Sha512PushesAreStillRefusedAsUnsupported()
    {
        await using var r = await TestRegistry.StartAsync();
        using var res = await r.Http.PostAsync($"/v2/look/blobs/uploads/?digest={Sha512}", new ByteArrayContent(Encoding.UTF8.GetBytes("x")));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("UNSUPPORTED", await TestRegistry.ErrorCodeAsync(res));
    }

    [Fact]
    public async Task ReferrersOfASha512SubjectAreAnEmptyIndex()
    {
        await using var r = await TestRegistry.StartAsync();
        await r.PushImageAsync("look", "latest");
        using var res = await r.Http.GetAsync($"/v2/look/referrers/{Sha512}");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, res.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        Assert.Equal(0, doc.RootElement.GetProperty("manifests").GetArrayLength());
    }

    [Fact]
    public async Task MalformedDigestsStayDigestInvalid()
    {
        await using var r = await TestRegistry.StartAsync();
        var (status, body) = await r.RawAsync("GET", "/v2/look/blobs/sha512:short");
        Assert.Equal(400, status);
        Assert.Contains("DIGEST_INVALID", body);
    }

    [Theory]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")]
    public async Task NonDistributableLayersWithUrlsNeedNotBePushed(string layerType)
    {
        await using var r = await TestRegistry.StartAsync();
        var configBytes = Encoding.UTF8.GetBytes("{\"nd\":1}");
        var config = await r.PushBlobAsync("nd", configBytes);
        var absent = Digest.Sha256(Encoding.UTF8.GetBytes("kept elsewhere"));
        var body = Encoding.UTF8.GetBytes(Manifest(config, configBytes.Length, absent, layerType, withUrls: true));
        using (var res = await r.PutManifestAsync("nd", "v1", body, MediaTypes.OciManifest))
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        using var get = await r.Http.GetAsync("/v2/nd/manifests/v1");
        Assert.Equal(body, await get.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task NonDistributableLayersWithoutUrlsMustBePushed()
    {
        await using var r = await TestRegistry.StartAsync();
        var configBytes = Encoding.UTF8.GetBytes("{\"nd\":2}");
        var config = await r.PushBlobAsync("nd", configBytes);
        var absent = Digest.Sha256(Encoding.UTF8.GetBytes("nowhere"));
        var body = Encoding.UTF8.GetBytes(Manifest(config, configBytes.Length, absent,
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", withUrls: false));
        using var res = await r.PutManifestAsync("nd", "v2", body, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(res));
    }

    private static string Manifest(Digest config, int configSize, Digest layer, string layerType, bool withUrls) =>
        "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\"" +
        ",\"config\":{\"mediaType\":\"" + MediaTypes.OciConfig + "\",\"digest\":\"" + config + "\",\"size\":" + configSize + "}" +
        ",\"layers\":[{\"mediaType\":\"" + layerType + "\",\"digest\":\"" + layer + "\",\"size\":14" +
        (withUrls ? ",\"urls\":[\"https://blobs.invalid/" + layer.Hex + "\"]" : "") + "}]}";
}
