using System.Text;
using Berth.Client;

namespace Berth.Cli.Tests;

public class CliAppTests
{
    private static async Task<(int Code, string Out, string Err)> Run(FakeEngine? engine, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        Func<EngineClient>? factory = engine == null ? null : engine.Client;
        int code = await CliApp.RunAsync(args, stdout, stderr, factory);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static long Ago(int seconds) => DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds;

    [Fact]
    public async Task Ps_prints_docker_table()
    {
        string list = $$"""
            [{"Id":"4f66ad9a0b2e11f2a4d3c4f5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5","Names":["/web"],"Image":"busybox","ImageID":"sha256:1","Command":"sleep 1000",
              "Created":{{Ago(150)}},"Ports":[],"State":"running","Status":"Up 2 minutes"}]
            """;
        using var engine = FakeEngine.Json(new() { ["GET /containers/json"] = (200, list) });
        var (code, output, _) = await Run(engine, "ps");
        Assert.Equal(0, code);
        Assert.Equal(
            "CONTAINER ID   IMAGE     COMMAND        CREATED         STATUS         PORTS     NAMES\n" +
            "4f66ad9a0b2e   busybox   \"sleep 1000\"   2 minutes ago   Up 2 minutes             web\n", output);
    }

    [Fact]
    public async Task Ps_sends_filters_and_all()
    {
        using var engine = FakeEngine.Json(new() { ["GET /containers/json"] = (200, "[]") });
        var (code, output, _) = await Run(engine, "container", "ls", "-a", "-q", "--filter", "status=exited", "--filter", "name=web");
        Assert.Equal(0, code);
        Assert.Equal("", output);
        Assert.Equal("all=1&filters=" + Uri.EscapeDataString("{\"status\":[\"exited\"],\"name\":[\"web\"]}"), engine.Requests.Single().Query);
    }

    [Fact]
    public async Task Ps_format_table_and_json()
    {
        string list = $$"""[{"Id":"abcdef0123456789","Names":["/db"],"Image":"busybox","Command":"sh","Created":{{Ago(5)}},"Ports":[],"State":"exited","Status":"Exited (0) 5 seconds ago"}]""";
        using var engine = FakeEngine.Json(new() { ["GET /containers/json"] = (200, list) });
        var (_, table, _) = await Run(engine, "ps", "--format", "table {{.Names}}\\t{{.State}}");
        Assert.Equal("NAMES     STATE\ndb        exited\n", table);
        var (_, json, _) = await Run(engine, "ps", "--format", "{{json .Names}}");
        Assert.Equal("\"db\"\n", json);
    }

    [Fact]
    public async Task Inspect_prints_an_indented_array_or_a_template()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["GET /containers/web/json"] = (200, "{\"Id\":\"abc\",\"State\":{\"Status\":\"running\"}}"),
        });
        var (code, output, _) = await Run(engine, "inspect", "web");
        Assert.Equal(0, code);
        Assert.Equal("[\n    {\n        \"Id\": \"abc\",\n        \"State\": {\n            \"Status\": \"running\"\n        }\n    }\n]\n", output);
        var (_, formatted, _) = await Run(engine, "container", "inspect", "-f", "{{.State.Status}}", "web");
        Assert.Equal("running\n", formatted);
    }

    [Fact]
    public async Task Inspect_missing_object_exits_1()
    {
        using var engine = FakeEngine.Json(new());
        var (code, output, err) = await Run(engine, "inspect", "ghost");
        Assert.Equal(1, code);
        Assert.Equal("[]\n", output);
        Assert.Equal("Error: No such object: ghost\n", err);
    }

    [Fact]
    public async Task Unknown_flag_is_a_usage_error_125()
    {
        var (code, _, err) = await Run(null, "ps", "--bogus");
        Assert.Equal(125, code);
        Assert.Equal("unknown flag: --bogus\nSee 'berth ps --help'.\n", err);
    }

    [Fact]
    public async Task Missing_argument_shows_usage()
    {
        var (code, _, err) = await Run(null, "run");
        Assert.Equal(125, code);
        Assert.StartsWith("\"berth run\" requires at least 1 argument.", err);
        Assert.Contains("Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]", err);
    }

    [Fact]
    public async Task Unknown_command()
    {
        var (code, _, err) = await Run(null, "frobnicate");
        Assert.Equal(1, code);
        Assert.Contains("'frobnicate' is not a berth command", err);
    }

    [Fact]
    public async Task Help_lists_commands_and_flags()
    {
        var (code, output, _) = await Run(null, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Common Commands:", output);
        Assert.Contains("  run ", output);
        Assert.Contains("Management Commands:", output);
        Assert.Contains("  daemon ", output);
        var (_, runHelp, _) = await Run(null, "run", "--help");
        Assert.Contains("Usage:  berth run [OPTIONS] IMAGE [COMMAND] [ARG...]", runHelp);
        Assert.Contains("  -d, --detach ", runHelp);
        Assert.Contains("berth container run, berth run", runHelp);
    }

    [Fact]
    public async Task Run_detached_creates_starts_and_prints_the_id()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /containers/create"] = (201, "{\"Id\":\"0123456789abcdef\",\"Warnings\":[]}"),
            ["POST /containers/0123456789abcdef/start"] = (204, ""),
        });
        var (code, output, _) = await Run(engine, "run", "-d", "--name", "web", "busybox", "sleep", "9");
        Assert.Equal(0, code);
        Assert.Equal("0123456789abcdef\n", output);
        Assert.Equal(new[] { "/v1.50/containers/create?name=web", "/v1.50/containers/0123456789abcdef/start" }, engine.Requests.Select(r => r.Target));
    }

    [Fact]
    public async Task Run_with_a_missing_image_pulls_it_and_reports_a_failed_pull()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /containers/create"] = (404, "{\"message\":\"No such image: alpine:latest\"}"),
            ["POST /images/create"] = (404, "{\"message\":\"manifest for alpine:latest not found: manifest unknown\"}"),
        });
        var (code, _, err) = await Run(engine, "run", "alpine");
        Assert.Equal(125, code);
        Assert.Equal("Unable to find image 'alpine:latest' locally\nberth: Error response from daemon: manifest for alpine:latest not found: manifest unknown\n", err);
        Assert.Contains(engine.Requests, r => r.Target == "/v1.50/images/create?fromImage=alpine&tag=latest");
    }

    [Fact]
    public async Task Run_daemon_error_is_125()
    {
        using var engine = FakeEngine.Json(new() { ["POST /containers/create"] = (409, "{\"message\":\"Conflict. The container name \\\"/web\\\" is already in use\"}") });
        var (code, _, err) = await Run(engine, "run", "--name", "web", "busybox");
        Assert.Equal(125, code);
        Assert.StartsWith("berth: Error response from daemon: Conflict.", err);
    }

    [Fact]
    public async Task Run_attached_streams_output_and_exits_with_the_container_code()
    {
        var started = new TaskCompletionSource();
        bool waitRegistered = false, startedAfterWait = false;
        using var engine = new FakeEngine(async (req, stream) =>
        {
            string path = req.Path[6..];
            switch (req.Method + " " + path)
            {
                case "POST /containers/create":
                    await FakeEngine.WriteAsync(stream, 201, "{\"Id\":\"c1\",\"Warnings\":[\"memory limited\"]}");
                    break;
                case "POST /containers/c1/attach":
                    await stream.WriteAsync("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"u8.ToArray());
                    await started.Task;
                    await stream.WriteAsync(StreamDemultiplexer.Frame(1, "hello\n"u8));
                    await stream.WriteAsync(StreamDemultiplexer.Frame(2, "oops\n"u8));
                    break;
                case "POST /containers/c1/wait":
                    Assert.Equal("condition=removed", req.Query);
                    // As the daemon does: headers as soon as the wait is registered, the result once the container is gone.
                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
                    waitRegistered = true;
                    await started.Task;
                    await stream.WriteAsync("10\r\n{\"StatusCode\":3}\r\n0\r\n\r\n"u8.ToArray());
                    break;
                case "POST /containers/c1/start":
                    startedAfterWait = waitRegistered;
                    await FakeEngine.WriteAsync(stream, 204, "");
                    started.TrySetResult();
                    break;
                default:
                    await FakeEngine.WriteAsync(stream, 404, "{\"message\":\"unexpected\"}");
                    break;
            }
        });
        var (code, output, err) = await Run(engine, "run", "--rm", "busybox", "sh", "-c", "echo hello; exit 3");
        Assert.Equal(3, code);
        Assert.Equal("hello\n", output);
        Assert.Equal("WARNING: memory limited\noops\n", err);
        var create = engine.Requests.First(r => r.Path.EndsWith("/create"));
        Assert.Contains("\"Cmd\":[\"sh\",\"-c\",\"echo hello; exit 3\"]", create.BodyText);
        Assert.Contains("\"AttachStdout\":true", create.BodyText);
        Assert.True(startedAfterWait, "the start was sent before the daemon had registered the wait");
    }

    [Fact]
    public async Task Stop_reports_each_container_and_errors()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /containers/a/stop"] = (204, ""),
            ["POST /containers/b/stop"] = (404, "{\"message\":\"No such container: b\"}"),
        });
        var (code, output, err) = await Run(engine, "stop", "-t", "1", "a", "b");
        Assert.Equal(1, code);
        Assert.Equal("a\n", output);
        Assert.Equal("Error response from daemon: No such container: b\n", err);
        Assert.Contains(engine.Requests, r => r.Target == "/v1.50/containers/a/stop?t=1");
    }

    [Fact]
    public async Task Logs_demultiplexes_without_tty()
    {
        using var engine = new FakeEngine(async (req, stream) =>
        {
            if (req.Path.EndsWith("/json"))
            {
                await FakeEngine.WriteAsync(stream, 200, "{\"Id\":\"c1\",\"Config\":{\"Tty\":false}}");
                return;
            }
            Assert.Equal("stdout=1&stderr=1&tail=2", req.Query);
            var body = new MemoryStream();
            body.Write(StreamDemultiplexer.Frame(1, "line1\n"u8));
            body.Write(StreamDemultiplexer.Frame(2, "err1\n"u8));
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n\r\n"));
            await stream.WriteAsync(body.ToArray());
        });
        var (code, output, err) = await Run(engine, "logs", "--tail", "2", "c1");
        Assert.Equal(0, code);
        Assert.Equal("line1\n", output);
        Assert.Equal("err1\n", err);
    }

    [Fact]
    public async Task Images_table_has_one_row_per_tag()
    {
        string list = $$"""[{"Id":"sha256:aaaabbbbccccdddd","RepoTags":["busybox:latest","mybox:v1"],"RepoDigests":[],"Created":{{Ago(7200)}},"Size":4261412}]""";
        using var engine = FakeEngine.Json(new() { ["GET /images/json"] = (200, list) });
        var (code, output, _) = await Run(engine, "images");
        Assert.Equal(0, code);
        Assert.Equal(
            "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE\n" +
            "busybox      latest    aaaabbbbcccc   2 hours ago   4.26MB\n" +
            "mybox        v1        aaaabbbbcccc   2 hours ago   4.26MB\n", output);
    }

    [Fact]
    public async Task Version_prints_client_and_server()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["GET /version"] = (200, "{\"Platform\":{\"Name\":\"Berth Engine\"},\"Components\":[{\"Name\":\"Engine\",\"Version\":\"0.1.0\"}],\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\",\"Arch\":\"amd64\"}"),
        });
        var (code, output, _) = await Run(engine, "version");
        Assert.Equal(0, code);
        Assert.Contains("Client:\n Version:", output);
        Assert.Contains("Server: Berth Engine\n Engine:\n  Version:", output);
        Assert.Contains("  API version:    1.50 (minimum version 1.24)", output);
        var (_, formatted, _) = await Run(engine, "version", "--format", "{{.Server.Version}}");
        Assert.Equal("0.1.0\n", formatted);
    }

    [Fact]
    public async Task Events_print_docker_lines()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["GET /events"] = (200, "{\"Type\":\"container\",\"Action\":\"start\",\"Actor\":{\"ID\":\"abc\",\"Attributes\":{\"name\":\"web\",\"image\":\"busybox\"}},\"scope\":\"local\",\"time\":1700000000,\"timeNano\":1700000000123456789}\n"),
        });
        var (code, output, _) = await Run(engine, "events", "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}");
        Assert.Equal(0, code);
        Assert.Equal("container start web\n", output);
        var (_, plain, _) = await Run(engine, "events", "--until", "1700000001");
        Assert.EndsWith(".123456789Z container start abc (image=busybox, name=web)\n", plain);
    }
}
