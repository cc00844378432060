using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>Hostile references, manifests the server must not store, and uploads finished with the wrong digest.</summary>
public class ServerBadInputTests
{
    private static readonly string Zero = "sha256:" + new string('0', 64);

    [Theory]
    [InlineData("/v2/a/manifests/..")]
    [InlineData("/v2/a/manifests/..%2F..%2Fescaped")]
    [InlineData("/v2/a/manifests/.hidden")]
    [InlineData("/v2/a/manifests/-dash")]
    [InlineData("/v2/a/manifests/tag%0A")]
    [InlineData("/v2/a/manifests/t%20t")]
    public async Task HostileTagsArePushedAsTagInvalid(string target)
    {
        await using var r = await TestRegistry.StartAsync();
        var (status, body) = await r.RawAsync("PUT", target);
        Assert.Equal(400, status);
        Assert.Contains("TAG_INVALID", body);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(r.Root, "repositories")));
    }

    /// <summary>
    /// The spec lets a manifest GET or HEAD fail only with 404, so a reference that can never be a tag is a manifest
    /// that does not exist; the detail still says why. DELETE answers the same way.
    /// </summary>
    [Theory]
    [InlineData("GET", "/v2/a/manifests/..")]
    [InlineData("GET", "/v2/a/manifests/%2e%2e")]
    [InlineData("GET", "/v2/a/manifests/.starts-with-dot")]
    [InlineData("HEAD", "/v2/a/manifests/.starts-with-dot")]
    [InlineData("DELETE", "/v2/a/manifests/..")]
    [InlineData("DELETE", "/v2/a/manifests/-dash")]
    [InlineData("GET", "/v2/a/manifests/")]
    public async Task MalformedTagsAreUnknownManifestsWhenRead(string method, string target)
    {
        await using var r = await TestRegistry.StartAsync();
        await r.PushImageAsync("a", "latest");
        var (status, body) = await r.RawAsync(method, target);
        Assert.Equal(404, status);
        if (method != "HEAD")
        {
            Assert.Contains("MANIFEST_UNKNOWN", body);
            Assert.Contains("is not a valid tag", body);
        }
    }

    [Fact]
    public async Task TagLengthLimitIs128()
    {
        await using var r = await TestRegistry.StartAsync();
        var (_, body) = await r.PushImageAsync("long", "seed");
        using (var ok = await r.PutManifestAsync("long", new string('t', 128), body, MediaTypes.OciManifest))
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        using var tooLong = await r.PutManifestAsync("long", new string('t', 129), body, MediaTypes.OciManifest);
        Assert.Equal("TAG_INVALID", await TestRegistry.ErrorCodeAsync(tooLong));
    }

    [Theory]
    [InlineData("GET", "/v2/a/blobs/sha256:..%2F..%2Fetc%2Fpasswd")]
    [InlineData("GET", "/v2/a/manifests/sha256:..")]
    [InlineData("DELETE", "/v2/a/blobs/sha256:../../x")]
    [InlineData("GET", "/v2/a/referrers/sha256:nothex")]
    [InlineData("POST", "/v2/a/blobs/uploads/?mount=sha256:..%2Fx&from=b")]
    public async Task HostileDigestsAreDigestInvalid(string method, string target)
    {
        await using var r = await TestRegistry.StartAsync();
        var (status, body) = await r.RawAsync(method, target);
        Assert.Equal(400, status);
        Assert.True(body.Contains("DIGEST_INVALID") || body.Contains("NAME_INVALID"), body);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(r.Root, "repositories")));
    }

    [Theory]
    [InlineData("../../a")]
    [InlineData("a%2F..%2F..%2Fb")]
    [InlineData("A")]
    public async Task MountFromHostileRepositoryFallsBackToAnUploadAndLinksNothing(string from)
    {
        await using var r = await TestRegistry.StartAsync();
        var d = await r.PushBlobAsync("a", Encoding.UTF8.GetBytes("secret"));
        using var res = await r.Http.PostAsync($"/v2/b/blobs/uploads/?mount={d}&from={from}", null);
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        using var get = await r.Http.GetAsync($"/v2/b/blobs/{d}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task OversizedManifestWithoutContentLengthIsRefusedAndNothingStored()
    {
        await using var r = await TestRegistry.StartAsync();
        var (_, good) = await r.PushImageAsync("big", "small");
        string[] before = BlobFiles(r);
        // The good manifest padded with whitespace past 4 MiB: valid JSON, so only the size can refuse it.
        var huge = new byte[(4 << 20) + 1];
        Array.Fill(huge, (byte)' ');
        good.CopyTo(huge, 0);
        // A stream of unknown length goes out chunked, so the server must stop reading at the limit itself.
        var content = new StreamContent(new UnseekableStream(huge));
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaTypes.OciManifest);
        Assert.Null(content.Headers.ContentLength);
        using var res = await r.Http.PutAsync("/v2/big/manifests/huge", content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, res.StatusCode);
        Assert.Equal("SIZE_INVALID", await TestRegistry.ErrorCodeAsync(res));

        Assert.Equal(before, BlobFiles(r));
        using var get = await r.Http.GetAsync("/v2/big/manifests/huge");
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(get));
        ServerConcurrencyTests.AssertNoLeftovers(r.Root);

        // Exactly at the limit is still accepted.
        using var atLimit = await r.PutManifestAsync("big", "edge", huge.AsSpan(0, 4 << 20).ToArray(), MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, atLimit.StatusCode);
    }

    [Fact]
    public async Task ManifestWithMissingConfigIsRejectedAndNothingStored()
    {
        await using var r = await TestRegistry.StartAsync();
        var layer = await r.PushBlobAsync("nocfg", Encoding.UTF8.GetBytes("L"));
        string[] before = BlobFiles(r);
        var body = Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"mediaType\":\"{MediaTypes.OciManifest}\",\"config\":{{\"mediaType\":\"{MediaTypes.OciConfig}\",\"digest\":\"{Zero}\",\"size\":2}},\"layers\":[{{\"mediaType\":\"{MediaTypes.OciLayer}\",\"digest\":\"{layer}\",\"size\":1}}]}}");
        using var res = await r.PutManifestAsync("nocfg", "t", body, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Equal("MANIFEST_BLOB_UNKNOWN", await TestRegistry.ErrorCodeAsync(res));
        Assert.Equal(before, BlobFiles(r));
        Assert.False(Directory.Exists(Path.Combine(r.Root, "repositories", "nocfg", "_manifests")));
        using var byDigest = await r.Http.GetAsync($"/v2/nocfg/manifests/{Digest.Sha256(body)}");
        Assert.Equal("MANIFEST_UNKNOWN", await TestRegistry.ErrorCodeAsync(byDigest));
    }

    [Fact]
    public async Task ChunkedUploadFinishedWithWrongDigestIsRefusedAndForgotten()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = Encoding.UTF8.GetBytes("the real content");
        using var start = await r.Http.PostAsync("/v2/wrong/blobs/uploads/", null);
        var chunk = new ByteArrayContent(data);
        chunk.Headers.TryAddWithoutValidation("Content-Range", $"0-{data.Length - 1}");
        using var patch = await r.Http.PatchAsync(start.Headers.Location, chunk);
        string location = patch.Headers.Location!.ToString();

        // No digest, a malformed one or an unsupported algorithm: refused before the upload is touched, so it can be retried.
        foreach (var (query, code) in new[] { ("", "DIGEST_INVALID"), ("?digest=sha256:zz", "DIGEST_INVALID"), ("?digest=sha512:" + new string('a', 128), "UNSUPPORTED") })
        {
            using var bad = await r.Http.PutAsync(location + query, null);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal(code, await TestRegistry.ErrorCodeAsync(bad));
            using var status = await r.Http.GetAsync(location);
            Assert.Equal($"0-{data.Length - 1}", status.Headers.GetValues("Range").Single());
        }

        var claimed = Digest.Sha256(Encoding.UTF8.GetBytes("something else"));
        using var put = await r.Http.PutAsync(location + "?digest=" + claimed, null);
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
        // Like distribution, a failed completion cancels the session: the client starts over.
        using var after = await r.Http.GetAsync(location);
        Assert.Equal("BLOB_UPLOAD_UNKNOWN", await TestRegistry.ErrorCodeAsync(after));
        Assert.Empty(BlobFiles(r));
        ServerConcurrencyTests.AssertNoLeftovers(r.Root);
    }

    [Fact]
    public async Task ClaimingTheDigestOfAnotherRepositorysBlobDoesNotLinkIt()
    {
        await using var r = await TestRegistry.StartAsync();
        var secret = await r.PushBlobAsync("private/app", Encoding.UTF8.GetBytes("private layer bytes"));
        // The blob is on disk already; a client that knows only its digest must still send its content.
        using var mono = await r.Http.PostAsync($"/v2/thief/blobs/uploads/?digest={secret}", new ByteArrayContent(Encoding.UTF8.GetBytes("guess")));
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(mono));
        using var start = await r.Http.PostAsync("/v2/thief/blobs/uploads/", null);
        using var put = await r.Http.PutAsync(start.Headers.Location + "?digest=" + secret, new ByteArrayContent(Array.Empty<byte>()));
        Assert.Equal("DIGEST_INVALID", await TestRegistry.ErrorCodeAsync(put));
        using var get = await r.Http.GetAsync($"/v2/thief/blobs/{secret}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("private layer bytes", await r.Http.GetStringAsync($"/v2/private/app/blobs/{secret}"));
    }

    private static string[] BlobFiles(TestRegistry r) =>
        Directory.GetFiles(Path.Combine(r.Root, "content", "blobs", "sha256")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    /// <summary>Hides the length so HttpClient sends the body with chunked transfer encoding.</summary>
    private sealed class UnseekableStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
    }
}
