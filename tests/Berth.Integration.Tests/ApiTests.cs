using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Berth.Integration.Tests;

/// <summary>The Engine API as raw HTTP: versioning, error shape, malformed input.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class ApiTests(DaemonFixture fixture)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private HttpClient Client()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(_d.Socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        return new HttpClient(handler) { BaseAddress = new Uri("http://berth") };
    }

    [Fact]
    public async Task PingAndVersionNegotiation()
    {
        using var c = Client();
        var ping = await c.GetAsync("/_ping");
        Assert.Equal("OK", await ping.Content.ReadAsStringAsync());
        Assert.Equal("1.50", ping.Headers.GetValues("Api-Version").Single());
        Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/v1.24/version")).StatusCode);
        var tooNew = await c.GetAsync("/v1.99/version");
        Assert.Equal(HttpStatusCode.BadRequest, tooNew.StatusCode);
        Assert.Contains("too new", await tooNew.Content.ReadAsStringAsync());
        var tooOld = await c.GetAsync("/v1.12/version");
        Assert.Equal(HttpStatusCode.BadRequest, tooOld.StatusCode);
    }

    [Fact]
    public async Task MalformedJsonIs400WithAMessage()
    {
        using var c = Client();
        var res = await c.PostAsync("/v1.50/containers/create", new StringContent("{\"Image\": \"busybox\", ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        string body = await res.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"message\":", body);
        Assert.Contains("JSON", body);
        var wrongType = await c.PostAsync("/v1.50/containers/create", new StringContent("{\"Image\": 5}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
    }

    [Fact]
    public async Task UnknownThingsAre404()
    {
        using var c = Client();
        var res = await c.GetAsync("/v1.50/containers/nosuch/json");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Contains("No such container: nosuch", await res.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/v1.50/images/nosuch:1/json")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/v1.50/no/such/endpoint")).StatusCode);
    }

    [Fact]
    public async Task InvalidValuesAreRejectedBeforeAnythingIsCreated()
    {
        using var c = Client();
        int before = Directory.GetDirectories(Path.Combine(_d.DataRoot, "containers")).Length;
        foreach (var body in new[]
        {
            "{\"Image\":\"busybox\",\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"Memory\":1024}}",
            "{\"Image\":\"busybox\",\"HostConfig\":{\"CapAdd\":[\"CAP_NOPE\"]}}",
            "{\"Image\":\"busybox\",\"Env\":[\"=x\"]}",
        })
        {
            var res = await c.PostAsync("/v1.50/containers/create", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        }
        var badName = await c.PostAsync("/v1.50/containers/create?name=bad%2Fname", new StringContent("{\"Image\":\"busybox\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal(before, Directory.GetDirectories(Path.Combine(_d.DataRoot, "containers")).Length);
    }

    [Fact]
    public async Task EventsAreStreamedAndFiltered()
    {
        using var c = Client();
        long since = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1;
        var r = _d.Berth("run", "--rm", "--name", "it-events", "busybox", "true");
        Assert.Equal(0, r.ExitCode);
        long until = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1;
        string body = await c.GetStringAsync($"/v1.50/events?since={since}&until={until}&filters=%7B%22container%22%3A%5B%22it-events%22%5D%7D");
        foreach (var action in new[] { "create", "start", "die", "destroy" })
            Assert.Contains($"\"Action\":\"{action}\"", body);
    }

    [Fact]
    public async Task VolumeEndpointsRejectBadInputAndSpeakDockersShapes()
    {
        using var c = Client();
        var broken = await c.PostAsync("/v1.50/volumes/create", new StringContent("{\"Name\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("JSON", await broken.Content.ReadAsStringAsync());
        var traversal = await c.PostAsync("/v1.50/volumes/create", new StringContent("{\"Name\": \"../../etc\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, traversal.StatusCode);
        Assert.False(Directory.Exists(Path.Combine(_d.DataRoot, "etc")));
        var created = await c.PostAsync("/v1.50/volumes/create", new StringContent("{\"Name\": \"api-vol\", \"Labels\": {\"k\": \"v\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string body = await created.Content.ReadAsStringAsync();
        Assert.Contains("\"Mountpoint\":", body);
        Assert.Contains("\"Scope\":\"local\"", body);
        Assert.Equal(HttpStatusCode.NotFound, (await c.GetAsync("/v1.50/volumes/no-such-vol")).StatusCode);
        var badFilter = await c.GetAsync("/v1.50/volumes?filters=" + Uri.EscapeDataString("{\"colour\":[\"red\"]}"));
        Assert.Equal(HttpStatusCode.BadRequest, badFilter.StatusCode);
        var df = await c.GetStringAsync("/v1.50/system/df?type=volume");
        Assert.Contains("\"UsageData\":", df);
        Assert.Equal(HttpStatusCode.BadRequest, (await c.GetAsync("/v1.50/system/df?type=bogus")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/v1.50/volumes/api-vol")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await c.DeleteAsync("/v1.50/volumes/api-vol?force=1")).StatusCode);
    }
}
