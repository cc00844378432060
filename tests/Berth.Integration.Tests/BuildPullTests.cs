namespace Berth.Integration.Tests;

/// <summary>Builds whose base images come from a registry: FROM and COPY --from pull what is not here, --pull pulls again.</summary>
[Trait("Category", "Root")]
public sealed class BuildPullTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    [Fact]
    public void FromAnImageThatIsNotHerePullsItAndPullRefreshesIt()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary);
        string image = registry.HostPort + "/it/buildbase:v1";
        Ok("tag", "busybox", image);
        Ok("push", image);
        Ok("rmi", image);

        string ctx = fixture.Context(("Dockerfile", $"FROM {image}\nRUN cat /new 2>/dev/null || echo old > /new\n"));
        var cold = Ok("build", "-t", "bp-from", ctx);
        Assert.Contains($"Step 1/2 : FROM {image}\nv1: Pulling from it/buildbase\n", cold.Stdout);
        Assert.Contains("Pull complete", cold.Stdout);
        Assert.Contains("Status: Downloaded newer image for " + image, cold.Stdout);
        Assert.Equal("old\n", Ok("run", "--rm", "bp-from", "cat", "/new").Stdout);
        Assert.DoesNotContain("Pulling from", Ok("build", "-t", "bp-from", ctx).Stdout);

        // A newer v1 in the registry: a plain build keeps the local one, --pull takes the new one and misses the cache.
        string newer = fixture.Context(("Dockerfile", "FROM busybox\nRUN echo new > /new\n"));
        Ok("build", "-t", image, newer);
        Ok("push", image);
        Ok("tag", "busybox", image);
        Assert.Equal("old\n", Ok("run", "--rm", Ok("build", "-q", ctx).Stdout.Trim(), "cat", "/new").Stdout);
        var pulled = Ok("build", "--pull", "--progress", "plain", "-t", "bp-from", ctx);
        Assert.Contains("Status: Downloaded newer image for " + image, pulled.Stdout);
        Assert.Contains("cache miss: the previous step's result changed", pulled.Stdout);
        Assert.Equal("new\n", Ok("run", "--rm", "bp-from", "cat", "/new").Stdout);
        Assert.Contains("Status: Image is up to date for " + image, Ok("build", "--pull", "-t", "bp-from", ctx).Stdout);
        Ok("rmi", "bp-from", image);
    }

    [Fact]
    public void CopyFromAnImageThatIsNotHerePullsIt()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary);
        string image = registry.HostPort + "/it/copysource:1";
        Ok("build", "-t", image, fixture.Context(("Dockerfile", "FROM busybox\nRUN echo payload > /payload\n")));
        Ok("push", image);
        Ok("rmi", image);
        string ctx = fixture.Context(("Dockerfile", $"FROM busybox\nCOPY --from={image} /payload /got\n"));
        var r = Ok("build", "-t", "bp-copy", ctx);
        Assert.Contains("Status: Downloaded newer image for " + image, r.Stdout);
        Assert.Equal("payload\n", Ok("run", "--rm", "bp-copy", "cat", "/got").Stdout);
        Ok("rmi", "bp-copy", image);
    }

    [Fact]
    public void AnImageNoRegistryHasFailsTheBuildNamingIt()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary);
        string image = registry.HostPort + "/it/nothing:here";
        var r = _d.Berth("build", "-t", "bp-missing", fixture.Context(("Dockerfile", $"FROM {image}\nRUN true\n")));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("it/nothing", r.Stderr);
        Assert.NotEqual(0, _d.Berth("image", "inspect", "bp-missing").ExitCode);
    }
}
