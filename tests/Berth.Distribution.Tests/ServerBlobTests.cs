using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Core;

namespace Berth.Distribution.Tests;

public class ServerBlobTests
{
    [Fact]
    public async Task ApiVersionCheckAnswers200WithHeader()
    {
        await using var r = await TestRegistry.StartAsync();
        using var res = await r.Http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal("registry/2.0", res.Headers.GetValues("Docker-Distribution-API-Version").Single());
    }

    [Fact]
    public async Task MonolithicPushThenGetHeadAndRange()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = Encoding.UTF8.GetBytes("hello blob world");
        var d = await r.PushBlobAsync("team/app", data);

        using var head = await r.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/v2/team/app/blobs/{d}"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(data.Length, head.Content.Headers.ContentLength);
        Assert.Equal(d.ToString(), head.Headers.GetValues("Docker-Content-Digest").Single());

        Assert.Equal(data, await r.Http.GetByteArrayAsync($"/v2/team/app/blobs/{d}"));

        var req = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/blobs/{d}");
        req.Headers.Range = new RangeHeaderValue(6, 9);
        using var partial = await r.Http.SendAsync(req);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal("blob", await partial.Content.ReadAsStringAsync());
        Assert.Equal($"bytes 6-9/{data.Length}", partial.Content.Headers.ContentRange!.ToString());

        var bad = new HttpRequestMessage(HttpMethod.Get, $"/v2/team/app/blobs/{d}");
        bad.Headers.Range = new RangeHeaderValue(100, 200);
        using var unsatisfiable = await bad.SendVia(r.Http);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, unsatisfiable.StatusCode);
    }

    [Fact]
    public async Task BlobIsOnlyVisibleInRepositoriesItWasPushedOrMountedTo()
    {
        await using var r = await TestRegistry.StartAsync();
        var d = await r.PushBlobAsync("a/one", Encoding.UTF8.GetBytes("shared"));
        using var other = await r.Http.GetAsync($"/v2/b/two/blobs/{d}");
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal("BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(other));

        using var mount = await r.Http.PostAsync($"/v2/b/two/blobs/uploads/?mount={d}&from=a/one", null);
        Assert.Equal(HttpStatusCode.Created, mount.StatusCode);
        Assert.Equal($"/v2/b/two/blobs/{d}", mount.Headers.Location!.ToString());
        Assert.Equal("shared", await r.Http.GetStringAsync($"/v2/b/two/blobs/{d}"));
        // Deduplicated: one file on disk for both repositories.
        Assert.Single(Directory.GetFiles(Path.Combine(r.Root, "content", "blobs", "sha256")));
    }

    [Fact]
    public async Task MountFromRepositoryWithoutTheBlobFallsBackToUploadSession()
    {
        await using var r = await TestRegistry.StartAsync();
        var d = Digest.Sha256(Encoding.UTF8.GetBytes("nowhere"));
        using var res = await r.Http.PostAsync($"/v2/b/two/blobs/uploads/?mount={d}&from=a/one", null);
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        Assert.StartsWith("/v2/b/two/blobs/uploads/", res.Headers.Location!.ToString());
        Assert.NotEmpty(res.Headers.GetValues("Docker-Upload-UUID").Single());
    }

    [Fact]
    public async Task ChunkedUploadWithStatusAndOutOfOrderChunk()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = Encoding.UTF8.GetBytes("0123456789abcdefghij");
        var d = Digest.Sha256(data);
        using var start = await r.Http.PostAsync("/v2/chunky/blobs/uploads/", null);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        string location = start.Headers.Location!.ToString();

        location = await PatchAsync(r, location, data, 0, 10, HttpStatusCode.Accepted);
        using (var status = await r.Http.GetAsync(location))
        {
            Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
            Assert.Equal("0-9", status.Headers.GetValues("Range").Single());
        }
        // A chunk that does not continue at the current offset is refused.
        await PatchAsync(r, location, data, 12, 5, HttpStatusCode.RequestedRangeNotSatisfiable);
        location = await PatchAsync(r, location, data, 10, 5, HttpStatusCode.Accepted);

        var last = new ByteArrayContent(data, 15, 5);
        last.Headers.TryAddWithoutValidation("Content-Range", "15-19");
        using var put = await r.Http.PutAsync(location + "?digest=" + d, last);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(d.ToString(), put.Headers.GetValues("Docker-Content-Digest").Single());
        Assert.Equal(data, await r.Http.GetByteArrayAsync($"/v2/chunky/blobs/{d}"));
        // The session is gone once finished.
        using var after = await r.Http.GetAsync(location);
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(after));
    }

    private static async Task<string> PatchAsync(TestRegistry r, string location, byte[] data, int offset, int count, HttpStatusCode expect)
    {
        var content = new ByteArrayContent(data, offset, count);
        content.Headers.TryAddWithoutValidation("Content-Range", $"{offset}-{offset + count - 1}");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var res = await r.Http.PatchAsync(location, content);
        Assert.Equal(expect, res.StatusCode);
        if (expect == HttpStatusCode.RequestedRangeNotSatisfiable) Assert.Equal("RANGE_INVALID", await TestRegistry.ErrorCodeAsync(res));
        return res.Headers.Location?.ToString() ?? location;
    }

    [Fact]
    public async Task CancelledUploadIsForgotten()
    {
        await using var r = await TestRegistry.StartAsync();
        using var start = await r.Http.PostAsync("/v2/x/blobs/uploads/", null);
        string location = start.Headers.Location!.ToString();
        using var del = await r.Http.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, del.StatusCode);
        using var status = await r.Http.GetAsync(location);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(status));
        // An upload of one repository cannot be continued through another.
        using var start2 = await r.Http.PostAsync("/v2/x/blobs/uploads/", null);
        string id = start2.Headers.GetValues("Docker-Upload-UUID").Single();
        using var cross = await r.Http.GetAsync($"/v2/y/blobs/uploads/{id}");
        Assert.Equal(HttpStatusCode.NotFound, cross.StatusCode);
    }

    [Fact]
    public async Task ContentNotMatchingItsDigestIsRejectedAndNothingStored()
    {
        await using var r = await TestRegistry.StartAsync();
        var claimed = Digest.Sha256(Encoding.UTF8.GetBytes("what I claim"));
        using var mono = await r.Http.PostAsync($"/v2/liar/blobs/uploads/?digest={claimed}", new ByteArrayContent(Encoding.UTF8.GetBytes("what I send")));
        Assert.Equal(HttpStatusCode.BadRequest, mono.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(mono));

        using var start = await r.Http.PostAsync("/v2/liar/blobs/uploads/", null);
        using var put = await r.Http.PutAsync(start.Headers.Location + "?digest=" + claimed, new ByteArrayContent(Encoding.UTF8.GetBytes("other")));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));

        Assert.Empty(Directory.GetFiles(Path.Combine(r.Root, "content", "blobs", "sha256")));
        using var get = await r.Http.GetAsync($"/v2/liar/blobs/{claimed}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task ConcurrentPushesOfTheSameBlobAllSucceed()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = new byte[3 << 20];
        new Random(7).NextBytes(data);
        var d = Digest.Sha256(data);
        var tasks = Enumerable.Range(0, 8).Select(async i =>
        {
            string repo = $"con/r{i % 3}";
            if (i % 2 == 0)
            {
                using var res = await r.Http.PostAsync($"/v2/{repo}/blobs/uploads/?digest={d}", new ByteArrayContent(data));
                return res.StatusCode;
            }
            using var start = await r.Http.PostAsync($"/v2/{repo}/blobs/uploads/", null);
            using var put = await r.Http.PutAsync(start.Headers.Location + "?digest=" + d, new ByteArrayContent(data));
            return put.StatusCode;
        }).ToList();
        foreach (var status in await Task.WhenAll(tasks)) Assert.Equal(HttpStatusCode.Created, status);
        for (int i = 0; i < 3; i++) Assert.Equal(data, await r.Http.GetByteArrayAsync($"/v2/con/r{i}/blobs/{d}"));
        Assert.Single(Directory.GetFiles(Path.Combine(r.Root, "content", "blobs", "sha256")));
        Assert.Empty(Directory.GetFiles(Path.Combine(r.Root, "content", "ingest")));
    }

    [Fact]
    public async Task DeleteBlobUnlinksItFromTheRepository()
    {
        await using var r = await TestRegistry.StartAsync();
        var d = await r.PushBlobAsync("del/me", Encoding.UTF8.GetBytes("bye"));
        using var del = await r.Http.DeleteAsync($"/v2/del/me/blobs/{d}");
        Assert.Equal(HttpStatusCode.Accepted, del.StatusCode);
        using var get = await r.Http.GetAsync($"/v2/del/me/blobs/{d}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        using var again = await r.Http.DeleteAsync($"/v2/del/me/blobs/{d}");
        Assert.Equal("BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(again));
    }

    [Theory]
    [InlineData("/v2/../etc/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("/v2/a//b/blobs/sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("/v2/a/../../b/manifests/latest")]
    [InlineData("/v2/UPPER/manifests/latest")]
    [InlineData("/v2/a%2F..%2Fb/manifests/latest")]
    [InlineData("/v2/-lead/tags/list")]
    [InlineData("/v2/a/b/blobs/uploads/../../../../tmp")]
    [InlineData("/v2/a%0A/tags/list")]
    [InlineData("/v2/a/./b/tags/list")]
    public async Task HostileNamesAreNameInvalid(string target)
    {
        await using var r = await TestRegistry.StartAsync();
        var (status, body) = await r.RawAsync("GET", target);
        Assert.Equal(400, status);
        Assert.Contains("NAME_INVALID", body);
    }

    [Fact]
    public async Task OverlongNameIsNameInvalid()
    {
        await using var r = await TestRegistry.StartAsync();
        string name = string.Join("/", Enumerable.Repeat("abcdefghij", 24));
        using var res = await r.Http.GetAsync($"/v2/{name}/tags/list");
        Assert.Equal("NAME_INVALID", await TestRegistry.ErrorCodeAsync(res));
    }

    [Fact]
    public async Task BadDigestAndBadUploadIdAreRefused()
    {
        await using var r = await TestRegistry.StartAsync();
        using var res = await r.Http.GetAsync("/v2/a/blobs/sha256:xyz");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(res));
        using var up = await r.Http.GetAsync("/v2/a/blobs/uploads/not-an-id");
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(up));
    }
}

internal static class HttpRequestExtensions
{
    public static Task<HttpResponseMessage> SendVia(this HttpRequestMessage req, HttpClient http) => http.SendAsync(req);
}
