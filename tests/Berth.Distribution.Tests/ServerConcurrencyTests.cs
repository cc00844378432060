using System.Net;
using System.Net.Sockets;
using System.Text;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>Many clients at once on one digest or one upload session, and clients that vanish mid-body.</summary>
public class ServerConcurrencyTests
{
    [Fact]
    public async Task HonestAndLyingUploadsOfOneDigestRaceToOneCorrectBlobAndNoLeftovers()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = new byte[2 << 20];
        new Random(11).NextBytes(data);
        var d = Digest.Sha256(data);
        var forged = (byte[])data.Clone();
        forged[^1] ^= 0xff;
        // 16 clients on one repository and three others: monolithic, session-with-body and chunked uploads,
        // and every fourth one sends bytes that do not hash to the digest it names.
        var tasks = Enumerable.Range(0, 16).Select(async i =>
        {
            string repo = i < 8 ? "race/same" : $"race/r{i % 3}";
            byte[] body = i % 4 == 3 ? forged : data;
            return (Liar: i % 4 == 3, Status: (i % 3) switch
            {
                0 => await MonolithicAsync(r, repo, d, body),
                1 => await SessionPutAsync(r, repo, d, body),
                _ => await ChunkedAsync(r, repo, d, body),
            });
        }).ToList();
        foreach (var (liar, status) in await Task.WhenAll(tasks))
            Assert.Equal(liar ? HttpStatusCode.BadRequest : HttpStatusCode.Created, status);

        foreach (var repo in new[] { "race/same", "race/r0", "race/r1", "race/r2" })
            Assert.Equal(data, await r.Http.GetByteArrayAsync($"/v2/{repo}/blobs/{d}"));
        Assert.Equal(new[] { d.Hex }, Directory.GetFiles(Path.Combine(r.Root, "content", "blobs", "sha256")).Select(Path.GetFileName));
        AssertNoLeftovers(r.Root);
    }

    [Fact]
    public async Task RacingChunksOnOneSessionAreSerialisedAndTheLoserGets416()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = new byte[1 << 20];
        new Random(5).NextBytes(data);
        using var start = await r.Http.PostAsync("/v2/one/session/blobs/uploads/", null);
        string location = start.Headers.Location!.ToString();
        // Both claim the first megabyte: exactly one may land, the other must not be appended after it.
        var racers = Enumerable.Range(0, 2).Select(async _ =>
        {
            var content = new ByteArrayContent(data);
            content.Headers.TryAddWithoutValidation("Content-Range", $"0-{data.Length - 1}");
            using var res = await r.Http.PatchAsync(location, content);
            return res.StatusCode;
        }).ToList();
        var statuses = await Task.WhenAll(racers);
        Assert.Single(statuses, s => s == HttpStatusCode.Accepted);
        Assert.Single(statuses, s => s == HttpStatusCode.RequestedRangeNotSatisfiable);

        using var put = await r.Http.PutAsync(location + "?digest=" + Digest.Sha256(data), null);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(data, await r.Http.GetByteArrayAsync($"/v2/one/session/blobs/{Digest.Sha256(data)}"));
        AssertNoLeftovers(r.Root);
    }

    [Fact]
    public async Task MonolithicUploadCutMidBodyStoresNothing()
    {
        await using var r = await TestRegistry.StartAsync();
        var data = new byte[4 << 20];
        new Random(3).NextBytes(data);
        var d = Digest.Sha256(data);
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync(IPAddress.Loopback, r.Server.BaseAddress.Port);
            var stream = tcp.GetStream();
            string head = $"POST /v2/cut/blobs/uploads/?digest={d} HTTP/1.1\r\nHost: {r.HostPort}\r\nContent-Length: {data.Length}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            await stream.WriteAsync(data.AsMemory(0, data.Length / 2));
            await stream.FlushAsync();
            // Give the server time to start ingesting before the connection drops.
            await Task.Delay(200);
        }
        await WaitUntilAsync(() => Directory.GetFiles(Path.Combine(r.Root, "content", "ingest")).Length == 0);
        Assert.Empty(Directory.GetFiles(Path.Combine(r.Root, "content", "blobs", "sha256")));
        using var get = await r.Http.GetAsync($"/v2/cut/blobs/{d}");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        // The server is still fine for the next client.
        Assert.Equal(d, await r.PushBlobAsync("cut", data));
    }

    /// <summary>No half-written blob, upload session or link temp file may outlive the requests.</summary>
    internal static void AssertNoLeftovers(string root)
    {
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "content", "ingest")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "uploads")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(root, "tmp")));
    }

    private static async Task<HttpStatusCode> MonolithicAsync(TestRegistry r, string repo, Digest d, byte[] body)
    {
        using var res = await r.Http.PostAsync($"/v2/{repo}/blobs/uploads/?digest={d}", new ByteArrayContent(body));
        return res.StatusCode;
    }

    private static async Task<HttpStatusCode> SessionPutAsync(TestRegistry r, string repo, Digest d, byte[] body)
    {
        using var start = await r.Http.PostAsync($"/v2/{repo}/blobs/uploads/", null);
        using var put = await r.Http.PutAsync(start.Headers.Location + "?digest=" + d, new ByteArrayContent(body));
        return put.StatusCode;
    }

    private static async Task<HttpStatusCode> ChunkedAsync(TestRegistry r, string repo, Digest d, byte[] body)
    {
        using var start = await r.Http.PostAsync($"/v2/{repo}/blobs/uploads/", null);
        string location = start.Headers.Location!.ToString();
        const int chunk = 512 << 10;
        for (int at = 0; at < body.Length; at += chunk)
        {
            int n = Math.Min(chunk, body.Length - at);
            var content = new ByteArrayContent(body, at, n);
            content.Headers.TryAddWithoutValidation("Content-Range", $"{at}-{at + n - 1}");
            using var patch = await r.Http.PatchAsync(location, content);
            if (patch.StatusCode != HttpStatusCode.Accepted) return patch.StatusCode;
            location = patch.Headers.Location!.ToString();
        }
        using var put = await r.Http.PutAsync(location + "?digest=" + d, null);
        return put.StatusCode;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition(), "condition not reached within 5 s");
    }
}
