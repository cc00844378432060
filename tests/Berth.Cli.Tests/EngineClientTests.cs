using System.Text;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Tests;

public class EngineClientTests
{
    [Fact]
    public async Task Reads_a_chunked_body_and_sends_the_versioned_path()
    {
        using var engine = new FakeEngine(async (req, stream) =>
        {
            string head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
            foreach (var chunk in new[] { "{\"Version\":\"0.1\",", "\"ApiVersion\":\"1.50\",\"Os\":\"linux\",\"Arch\":\"amd64\"}" })
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{Encoding.UTF8.GetByteCount(chunk):x}\r\n{chunk}\r\n"));
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        });
        var v = await engine.Client().VersionAsync();
        Assert.Equal("1.50", v.ApiVersion);
        Assert.Equal("amd64", v.Arch);
        Assert.Equal("/v1.50/version", engine.Requests.Single().Target);
    }

    [Fact]
    public async Task Error_json_becomes_an_exception_with_the_daemon_message()
    {
        using var engine = FakeEngine.Json(new() { ["DELETE /containers/nope"] = (404, "{\"message\":\"No such container: nope\"}") });
        var e = await Assert.ThrowsAsync<EngineApiException>(() => engine.Client().RemoveContainerAsync("nope", force: true));
        Assert.Equal(404, e.StatusCode);
        Assert.Equal("No such container: nope", e.Message);
        Assert.Equal("/v1.50/containers/nope?force=1", engine.Requests.Single().Target);
    }

    [Fact]
    public async Task Non_json_error_body_is_reported_as_text()
    {
        using var engine = new FakeEngine((req, stream) => FakeEngine.WriteAsync(stream, 500, "boom", "text/plain"));
        var e = await Assert.ThrowsAsync<EngineApiException>(() => engine.Client().InfoAsync());
        Assert.Equal("boom", e.Message);
    }

    [Fact]
    public async Task Create_posts_the_flattened_config_and_the_name()
    {
        using var engine = FakeEngine.Json(new() { ["POST /containers/create"] = (201, "{\"Id\":\"abc\",\"Warnings\":[]}") });
        var req = new ContainerCreateRequest { Image = "busybox", Cmd = new() { "true" }, HostConfig = new HostConfig { AutoRemove = true } };
        var r = await engine.Client().CreateContainerAsync(req, "web");
        Assert.Equal("abc", r.Id);
        var sent = engine.Requests.Single();
        Assert.Equal("/v1.50/containers/create?name=web", sent.Target);
        Assert.Contains("\"Image\":\"busybox\"", sent.BodyText);
        Assert.Contains("\"HostConfig\":{", sent.BodyText);
        Assert.Contains("\"AutoRemove\":true", sent.BodyText);
        Assert.DoesNotContain("null", sent.BodyText);
    }

    [Fact]
    public async Task Upgrade_gives_a_duplex_stream_after_101()
    {
        using var engine = new FakeEngine(async (req, stream) =>
        {
            Assert.Equal("Upgrade", req.Headers["Connection"]);
            Assert.Equal("tcp", req.Headers["Upgrade"]);
            await stream.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\nhello "u8.ToArray());
            var buf = new byte[5];
            await stream.ReadExactlyAsync(buf);
            await stream.WriteAsync(buf);
            // Echo until the client half-closes, then end.
            var rest = new byte[16];
            while (await stream.ReadAsync(rest) > 0) { }
            stream.Socket.Shutdown(System.Net.Sockets.SocketShutdown.Send);
        });
        using var hijacked = await engine.Client().AttachContainerAsync("c1", stdin: true, stdout: true, stderr: true);
        Assert.Equal(101, hijacked.StatusCode);
        Assert.Equal("application/vnd.docker.raw-stream", hijacked.ContentType);
        await hijacked.WriteAsync("world"u8.ToArray());
        hijacked.CloseWrite();
        var output = new MemoryStream();
        await hijacked.CopyToAsync(output);
        Assert.Equal("hello world", Encoding.ASCII.GetString(output.ToArray()));
        Assert.Equal("/v1.50/containers/c1/attach?stream=1&stdin=1&stdout=1&stderr=1", engine.Requests.Single().Target);
    }

    [Fact]
    public async Task Refused_upgrade_reports_the_daemon_error()
    {
        using var engine = FakeEngine.Json(new() { ["POST /exec/e1/start"] = (409, "{\"message\":\"container c1 is not running\"}") });
        var e = await Assert.ThrowsAsync<EngineApiException>(() => engine.Client().StartExecAttachedAsync("e1", new ExecStartRequest()));
        Assert.Equal("container c1 is not running", e.Message);
    }

    [Fact]
    public async Task Path_stat_header_is_decoded()
    {
        string stat = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"name\":\"etc\",\"size\":4096,\"mode\":2147484141,\"mtime\":\"2026-01-01T00:00:00Z\",\"linkTarget\":\"\"}"));
        using var engine = new FakeEngine(async (req, stream) =>
        {
            Assert.Equal("HEAD", req.Method);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nX-Docker-Container-Path-Stat: {stat}\r\nContent-Length: 0\r\n\r\n"));
        });
        var s = await engine.Client().StatPathAsync("c1", "/etc");
        Assert.Equal("etc", s.Name);
        Assert.True((s.Mode & (1u << 31)) != 0);
        Assert.Equal("/v1.50/containers/c1/archive?path=%2Fetc", engine.Requests.Single().Target);
    }

    [Fact]
    public async Task Streaming_request_body_is_sent_chunked()
    {
        using var engine = FakeEngine.Json(new() { ["POST /images/load"] = (200, "{\"stream\":\"Loaded image: busybox:latest\\n\"}\n") });
        using var response = await engine.Client().LoadImagesAsync(new MemoryStream(new byte[100_000]), quiet: true);
        var messages = new List<JsonMessage>();
        await foreach (var m in EngineClient.ReadJsonLinesAsync(response.Body, EngineApiJson.Default.JsonMessage)) messages.Add(m);
        Assert.Equal("Loaded image: busybox:latest\n", messages.Single().Stream);
        Assert.Equal(100_000, engine.Requests.Single().Body.Length);
        Assert.Equal("chunked", engine.Requests.Single().Headers["Transfer-Encoding"]);
    }

    [Fact]
    public async Task Missing_socket_names_the_endpoint()
    {
        var client = new EngineClient(EngineEndpoint.Parse("unix:///tmp/berth-cli-test-missing/none.sock"));
        var e = await Assert.ThrowsAsync<EngineConnectionException>(() => client.PingAsync());
        Assert.Contains("unix:///tmp/berth-cli-test-missing/none.sock", e.Message);
    }

    [Theory]
    [InlineData("unix:///run/x.sock", true)]
    [InlineData("/run/x.sock", true)]
    [InlineData("tcp://127.0.0.1:2375", false)]
    public void Endpoints_parse(string url, bool unix) => Assert.Equal(unix, EngineEndpoint.Parse(url).IsUnix);

    [Theory]
    [InlineData("ssh://host")]
    [InlineData("tcp://127.0.0.1")]
    [InlineData("unix://")]
    public void Bad_endpoints_name_the_value(string url)
    {
        var e = Assert.Throws<ArgumentException>(() => EngineEndpoint.Parse(url));
        Assert.Contains(url, e.Message);
    }
}
