namespace Berth.Cli.Tests;

public class ResourceCommandTests
{
    private static async Task<(int Code, string Out, string Err)> Run(FakeEngine engine, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = await CliApp.RunAsync(args, stdout, stderr, engine.Client);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Volume_create_and_ls()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /volumes/create"] = (201, "{\"Name\":\"data\",\"Driver\":\"local\",\"Mountpoint\":\"/x\",\"Scope\":\"local\"}"),
            ["GET /volumes"] = (200, "{\"Volumes\":[{\"Name\":\"data\",\"Driver\":\"local\",\"Mountpoint\":\"/x\",\"Scope\":\"local\"}],\"Warnings\":[]}"),
        });
        var (code, output, _) = await Run(engine, "volume", "create", "--label", "a=b", "data");
        Assert.Equal(0, code);
        Assert.Equal("data\n", output);
        Assert.Contains("\"Labels\":{\"a\":\"b\"}", engine.Requests[0].BodyText);
        var (_, table, _) = await Run(engine, "volume", "ls");
        Assert.Equal("DRIVER    VOLUME NAME\nlocal     data\n", table);
    }

    [Fact]
    public async Task Network_create_ls_and_connect()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /networks/create"] = (201, "{\"Id\":\"0123456789abcdef0123\",\"Warning\":\"\"}"),
            ["GET /networks"] = (200, "[{\"Name\":\"front\",\"Id\":\"0123456789abcdef0123\",\"Driver\":\"bridge\",\"Scope\":\"local\"}]"),
            ["POST /networks/front/connect"] = (200, ""),
        });
        var (code, output, _) = await Run(engine, "network", "create", "--subnet", "10.9.0.0/24", "--gateway", "10.9.0.1", "front");
        Assert.Equal(0, code);
        Assert.Equal("0123456789abcdef0123\n", output);
        Assert.Contains("\"Subnet\":\"10.9.0.0/24\",\"Gateway\":\"10.9.0.1\"", engine.Requests[0].BodyText);
        var (_, table, _) = await Run(engine, "network", "ls");
        Assert.Equal("NETWORK ID     NAME      DRIVER    SCOPE\n0123456789ab   front     bridge    local\n", table);
        var (connect, _, _) = await Run(engine, "network", "connect", "--alias", "web", "front", "c1");
        Assert.Equal(0, connect);
        Assert.Equal("{\"Container\":\"c1\",\"EndpointConfig\":{\"Aliases\":[\"web\"],\"GwPriority\":0,\"NetworkID\":\"\",\"EndpointID\":\"\",\"Gateway\":\"\",\"IPAddress\":\"\",\"IPPrefixLen\":0,\"IPv6Gateway\":\"\",\"GlobalIPv6Address\":\"\",\"GlobalIPv6PrefixLen\":0}}", engine.Requests[^1].BodyText);
    }

    [Fact]
    public async Task Pull_prints_progress_and_the_full_reference()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /images/create"] = (200, "{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}\r\n{\"status\":\"Digest: sha256:abc\"}\r\n"),
        });
        var (code, output, _) = await Run(engine, "pull", "busybox");
        Assert.Equal(0, code);
        Assert.Equal("latest: Pulling from library/busybox\nDigest: sha256:abc\ndocker.io/library/busybox:latest\n", output);
        Assert.Equal("fromImage=busybox&tag=latest", engine.Requests.Single().Query);
    }

    [Fact]
    public async Task Pull_error_in_the_stream_fails()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /images/create"] = (200, "{\"errorDetail\":{\"message\":\"manifest unknown\"},\"error\":\"manifest unknown\"}\n"),
        });
        var (code, _, err) = await Run(engine, "pull", "nosuch:tag");
        Assert.Equal(1, code);
        Assert.Equal("manifest unknown\n", err);
    }
}

public class InspectVariantsTests
{
    [Fact]
    public async Task Image_inspect_formats_without_a_size_flag()
    {
        using var engine = FakeEngine.Json(new() { ["GET /images/busybox/json"] = (200, "{\"Id\":\"sha256:1\",\"Os\":\"linux\",\"Architecture\":\"amd64\"}") });
        var stdout = new StringWriter();
        int code = await CliApp.RunAsync(new[] { "image", "inspect", "-f", "{{.Os}}/{{.Architecture}}", "busybox" }, stdout, new StringWriter(), engine.Client);
        Assert.Equal(0, code);
        Assert.Equal("linux/amd64\n", stdout.ToString());
    }
}

public class SystemPruneTests
{
    [Fact]
    public async Task Prune_everything_without_networks_support()
    {
        using var engine = FakeEngine.Json(new()
        {
            ["POST /containers/prune"] = (200, "{\"ContainersDeleted\":[\"c1\"],\"SpaceReclaimed\":1000}"),
            ["POST /images/prune"] = (200, "{\"ImagesDeleted\":[{\"Deleted\":\"sha256:1\"}],\"SpaceReclaimed\":2000}"),
        });
        var stdout = new StringWriter();
        int code = await CliApp.RunAsync(new[] { "system", "prune", "-f", "-a" }, stdout, new StringWriter(), engine.Client);
        Assert.Equal(0, code);
        Assert.Equal("Deleted Containers:\nc1\n\nDeleted Images:\ndeleted: sha256:1\n\nTotal reclaimed space: 3kB\n", stdout.ToString());
        Assert.Contains(engine.Requests, r => r.Path.EndsWith("/images/prune") && r.Query == "filters=" + Uri.EscapeDataString("{\"dangling\":[\"false\"]}"));
    }

    [Fact]
    public async Task Commit_sends_repo_tag_and_changes()
    {
        using var engine = FakeEngine.Json(new() { ["POST /commit"] = (201, "{\"Id\":\"sha256:new\"}") });
        var stdout = new StringWriter();
        int code = await CliApp.RunAsync(new[] { "commit", "-c", "CMD [\"sh\"]", "-m", "msg", "c1", "mine:v2" }, stdout, new StringWriter(), engine.Client);
        Assert.Equal(0, code);
        Assert.Equal("sha256:new\n", stdout.ToString());
        Assert.Equal("container=c1&repo=mine&tag=v2&comment=msg&pause=1&changes=" + Uri.EscapeDataString("CMD [\"sh\"]"), engine.Requests.Single().Query);
    }
}
