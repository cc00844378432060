using System.Net;
using System.Text;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution.Tests;

public class ServerManifestTests
{
    [Fact]
    public async Task PushPullManifestByTagAndDigest()
    {
        await using var r = await TestRegistry.StartAsync();
        var (d, body) = await r.PushImageAsync("lib/app", "v1");
        foreach (var reference in new[] { "v1", d.ToString() })
        {
            using var res = await r.Http.GetAsync($"/v2/lib/app/manifests/{reference}");
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);
            Assert.Equal(MediaTypes.OciManifest, res.Content.Headers.ContentType!.MediaType);
            Assert.Equal(d.ToString(), res.Headers.GetValues("Docker-Content-Digest").Single());
            Assert.Equal(body, await res.Content.ReadAsByteArrayAsync());
        }
        using var head = await r.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v2/lib/app/manifests/v1"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task UnknownManifestAndRepository()
    {
        await using var r = await TestRegistry.StartAsync();
        using var res = await r.Http.GetAsync("/v2/nope/manifests/latest");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(res));
        await r.PushImageAsync("yes", "v1");
        using var res2 = await r.Http.GetAsync("/v2/yes/manifests/v2");
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(res2));
        using var res3 = await r.Http.GetAsync("/v2/yes/manifests/sha256:" + new string('a', 64));
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(res3));
    }

    [Fact]
    public async Task ManifestReferringToMissingBlobIsRejected()
    {
        await using var r = await TestRegistry.StartAsync();
        var config = await r.PushBlobAsync("m/x", Encoding.UTF8.GetBytes("{}"));
        string missing = "sha256:" + new string('b', 64);
        var body = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.DockerManifest}\",\"config\":{{\"mediaType\":\"{MediaTypes.DockerConfig}\",\"digest\":\"{config}\",\"size\":2}},\"layers\":[{{\"mediaType\":\"{MediaTypes.DockerLayerGzip}\",\"digest\":\"{missing}\",\"size\":1}}]}}");
        using var res = await r.PutManifestAsync("m/x", "t", body, MediaTypes.DockerManifest);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(res));
        // A blob in another repository does not count.
        var layer = await r.PushBlobAsync("other", Encoding.UTF8.GetBytes("L"));
        body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(missing, layer.ToString()));
        using var res2 = await r.PutManifestAsync("m/x", "t", body, MediaTypes.DockerManifest);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(res2));
    }

    [Fact]
    public async Task InvalidManifestsAreRefused()
    {
        await using var r = await TestRegistry.StartAsync();
        using (var res = await r.PutManifestAsync("m", "t", Encoding.UTF8.GetBytes("not json"), MediaTypes.OciManifest))
            Assert.Equal("MANIFEST_INVALID", await TestRegistry.ErrorCodeAsync(res));
        using (var res = await r.PutManifestAsync("m", "t", Encoding.UTF8.GetBytes("{\"schemaVersion\":1}"), "application/vnd.docker.distribution.manifest.v1+json"))
            Assert.Equal("MANIFEST_INVALID", await TestRegistry.ErrorCodeAsync(res));
        using (var res = await r.PutManifestAsync("m", "t", Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[]}}"), MediaTypes.OciManifest))
            Assert.Equal("MANIFEST_INVALID", await TestRegistry.ErrorCodeAsync(res));
        using (var res = await r.PutManifestAsync("m", "bad~tag", Encoding.UTF8.GetBytes("{}"), MediaTypes.OciManifest))
            Assert.Equal("TAG_INVALID", await TestRegistry.ErrorCodeAsync(res));
        using (var res = await r.PutManifestAsync("m", "sha256:" + new string('c', 64), Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciIndex}\",\"manifests\":[]}}"), MediaTypes.OciIndex))
            Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(res));
        var huge = new byte[(4 << 20) + 10];
        Array.Fill(huge, (byte)' ');
        using (var res = await r.PutManifestAsync("m", "t", huge, MediaTypes.OciManifest))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
            Assert.Equal("SIZE_INVALID", await TestRegistry.ErrorCodeAsync(res));
        }
    }

    [Fact]
    public async Task IndexNeedsItsManifestsInTheRepository()
    {
        await using var r = await TestRegistry.StartAsync();
        var (child, body) = await r.PushImageAsync("idx", "child");
        string Index(Digest d) => $"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.DockerManifestList}\",\"manifests\":[{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{d}\",\"size\":{body.Length},\"platform\":{{\"os\":\"linux\",\"architecture\":\"amd64\"}}}}]}}";
        using (var bad = await r.PutManifestAsync("idx", "all", Encoding.UTF8.GetBytes(Index(Digest.Sha256(Encoding.UTF8.GetBytes("?")))), MediaTypes.DockerManifestList))
            Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(bad));
        using var ok = await r.PutManifestAsync("idx", "all", Encoding.UTF8.GetBytes(Index(child)), MediaTypes.DockerManifestList);
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var get = await r.Http.GetAsync("/v2/idx/manifests/all");
        Assert.Equal(MediaTypes.DockerManifestList, get.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task DeleteByTagThenByDigest()
    {
        await using var r = await TestRegistry.StartAsync();
        var (d, _) = await r.PushImageAsync("del", "a");
        byte[] body = await r.Http.GetByteArrayAsync("/v2/del/manifests/a");
        using (var put = await r.PutManifestAsync("del", "b", body, MediaTypes.OciManifest))
            Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        using (var del = await r.Http.DeleteAsync("/v2/del/manifests/a")) Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        Assert.Equal(new[] { "b" }, await TagsAsync(r, "/v2/del/tags/list"));
        using (var del = await r.Http.DeleteAsync($"/v2/del/manifests/{d}")) Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        Assert.Empty(await TagsAsync(r, "/v2/del/tags/list"));
        using var get = await r.Http.GetAsync($"/v2/del/manifests/{d}");
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(get));
    }

    [Fact]
    public async Task TagsListPaginates()
    {
        await using var r = await TestRegistry.StartAsync();
        var (_, body) = await r.PushImageAsync("pg", "t0");
        foreach (var t in new[] { "t3", "t1", "t2", "t4" })
            using (var res = await r.PutManifestAsync("pg", t, body, MediaTypes.OciManifest)) Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        Assert.Equal(new[] { "t0", "t1", "t2", "t3", "t4" }, await TagsAsync(r, "/v2/pg/tags/list"));
        using var page = await r.Http.GetAsync("/v2/pg/tags/list?n=2");
        Assert.Equal(new[] { "t0", "t1" }, await ListAsync(page, "tags"));
        string link = page.Headers.GetValues("Link").Single();
        Assert.Equal("</v2/pg/tags/list?n=2&last=t1>; rel=\"next\"", link);
        Assert.Equal(new[] { "t2", "t3" }, await TagsAsync(r, "/v2/pg/tags/list?n=2&last=t1"));
        using var end = await r.Http.GetAsync("/v2/pg/tags/list?n=2&last=t3");
        Assert.Equal(new[] { "t4" }, await ListAsync(end, "tags"));
        Assert.False(end.Headers.Contains("Link"));
        using var unknown = await r.Http.GetAsync("/v2/none/tags/list");
        Assert.Equal("NAME_UNKNOWN", await TestRegistry.ErrorCodeAsync(unknown));
    }

    [Fact]
    public async Task CatalogListsRepositoriesWithPagination()
    {
        await using var r = await TestRegistry.StartAsync();
        foreach (var repo in new[] { "zeta", "alpha/one", "alpha/one/deeper", "beta" })
            await r.PushBlobAsync(repo, Encoding.UTF8.GetBytes(repo));
        using var all = await r.Http.GetAsync("/v2/_catalog");
        Assert.Equal(new[] { "alpha/one", "alpha/one/deeper", "beta", "zeta" }, await ListAsync(all, "repositories"));
        using var page = await r.Http.GetAsync("/v2/_catalog?n=3");
        Assert.Equal(new[] { "alpha/one", "alpha/one/deeper", "beta" }, await ListAsync(page, "repositories"));
        Assert.Contains("last=beta", page.Headers.GetValues("Link").Single());
        using var rest = await r.Http.GetAsync("/v2/_catalog?n=3&last=beta");
        Assert.Equal(new[] { "zeta" }, await ListAsync(rest, "repositories"));
    }

    [Fact]
    public async Task ReferrersComeFromSubjectsAndFilterByArtifactType()
    {
        await using var r = await TestRegistry.StartAsync();
        var (subject, subjectBody) = await r.PushImageAsync("ref", "main");
        string subjectDesc = $"{{\"mediaType\":\"{MediaTypes.OciManifest}\",\"digest\":\"{subject}\",\"size\":{subjectBody.Length}}}";
        var (sig, _) = await r.PushImageAsync("ref", "sig", seed: "s", subject: subjectDesc, artifactType: "application/vnd.example.sig");
        var (sbom, _) = await r.PushImageAsync("ref", "sbom", seed: "b", subject: subjectDesc, artifactType: "application/vnd.example.sbom");

        using var all = await r.Http.GetAsync($"/v2/ref/referrers/{subject}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(MediaTypes.OciIndex, all.Content.Headers.ContentType!.MediaType);
        using (var doc = JsonDocument.Parse(await all.Content.ReadAsStringAsync()))
        {
            var manifests = doc.RootElement.GetProperty("manifests").EnumerateArray().ToList();
            Assert.Equal(2, manifests.Count);
            Assert.Equal(new[] { sig.ToString(), sbom.ToString() }.Order(StringComparer.Ordinal), manifests.Select(m => m.GetProperty("digest").GetString()!));
            Assert.Contains(manifests, m => m.GetProperty("annotations").GetProperty("seed").GetString() == "s");
        }
        using var filtered = await r.Http.GetAsync($"/v2/ref/referrers/{subject}?artifactType=application/vnd.example.sbom");
        Assert.Equal("artifactType", filtered.Headers.GetValues("OCI-Filters-Applied").Single());
        using (var doc = JsonDocument.Parse(await filtered.Content.ReadAsStringAsync()))
            Assert.Equal(sbom.ToString(), doc.RootElement.GetProperty("manifests").EnumerateArray().Single().GetProperty("digest").GetString());

        using (var del = await r.Http.DeleteAsync($"/v2/ref/manifests/{sig}")) Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        using var after = await r.Http.GetAsync($"/v2/ref/referrers/{subject}");
        using (var doc = JsonDocument.Parse(await after.Content.ReadAsStringAsync()))
            Assert.Single(doc.RootElement.GetProperty("manifests").EnumerateArray());
    }

    private static async Task<string[]> TagsAsync(TestRegistry r, string url)
    {
        using var res = await r.Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        return await ListAsync(res, "tags");
    }

    private static async Task<string[]> ListAsync(HttpResponseMessage res, string property)
    {
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
    }
}
