namespace Berth.Integration.Tests;

/// <summary>berth build end to end: real RUN containers, COPY/ADD, cache hits and misses, multi-stage, and the image it makes.</summary>
[Trait("Category", "Root")]
public sealed class BuildTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private static CommandResult Ok(CommandResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private const string Reference = "FROM busybox\nRUN echo a > /a\nCOPY file /f\nENV X=1\nCMD [\"sh\"]\n";

    [Fact]
    public void ReferenceBuildRunsThenIsCachedWithTheSameImageId()
    {
        string ctx = fixture.Context(("Dockerfile", Reference), ("file", "hello\n"));
        var cold = Ok(_d.Berth("build", "-t", "bt-ref:1", "-t", "bt-ref:2", "--iidfile", Path.Combine(ctx, "..", "iid-ref"), ctx));
        Assert.Contains("Step 2/5 : RUN echo a > /a", cold.Stdout);
        Assert.Contains("Successfully tagged bt-ref:2", cold.Stdout);
        string id = File.ReadAllText(Path.Combine(ctx, "..", "iid-ref"));
        Assert.StartsWith("sha256:", id);
        Assert.Equal("a\nhello\n1", Ok(_d.Berth("run", "--rm", "bt-ref:1", "sh", "-c", "cat /a /f; echo $X")).Stdout.Trim());

        var warm = Ok(_d.Berth("build", "-q", "-t", "bt-ref:1", ctx));
        Assert.Equal(id, warm.Stdout.Trim());
        var plain = Ok(_d.Berth("build", "--progress", "plain", "-t", "bt-ref:1", ctx));
        Assert.Equal(4, plain.Stdout.Split("---> CACHED").Length - 1);

        var history = Ok(_d.Berth("history", "--no-trunc", "--format", "{{.CreatedBy}}|{{.Size}}", "bt-ref:1")).Stdout;
        Assert.Contains("RUN /bin/sh -c echo a > /a|", history);
        Assert.Contains("COPY file /f|", history);
        Assert.Contains("ENV X=1|0B", history);
        Assert.Equal("[sh]", Ok(_d.Berth("inspect", "--format", "{{.Config.Cmd}}", "bt-ref:1")).Stdout.Trim());
    }

    [Fact]
    public void RunThatChangesNothingCommitsAnEmptyLayer()
    {
        // The second RUN's upper dir is empty: the first one already made the mount points a RUN container leaves behind.
        string ctx = fixture.Context(("Dockerfile", "FROM busybox\nRUN true\nRUN true\n"));
        Ok(_d.Berth("build", "--no-cache", "-t", "bt-empty", ctx));
        Ok(_d.Berth("rmi", "bt-empty"));
    }

    [Fact]
    public void ChangedFileMissesFromItsStepOnAndSaysWhy()
    {
        string ctx = fixture.Context(("Dockerfile", "FROM busybox\nRUN echo one > /one\nCOPY app/ /app/\nRUN cat /app/x.txt > /copy\n"), ("app/x.txt", "v1"), ("app/y.txt", "y"));
        Ok(_d.Berth("build", "-t", "bt-miss", ctx));
        File.WriteAllText(Path.Combine(ctx, "app/x.txt"), "v2");
        var r = Ok(_d.Berth("build", "--progress", "plain", "-t", "bt-miss", ctx));
        Assert.Contains("Step 2/4 : RUN echo one > /one\n ---> CACHED", r.Stdout);
        Assert.Contains("cache miss: file app/x.txt changed", r.Stdout);
        Assert.Contains("cache miss: the previous step's result changed", r.Stdout);
        Assert.Equal("v2", Ok(_d.Berth("run", "--rm", "bt-miss", "cat", "/copy")).Stdout);
        var nocache = Ok(_d.Berth("build", "--no-cache", "--progress", "plain", "-t", "bt-miss", ctx));
        Assert.DoesNotContain("CACHED", nocache.Stdout);
        Assert.Contains("--no-cache was given", nocache.Stdout);
    }

    [Fact]
    public void MultiStageBuildsOnlyWhatTheTargetNeeds()
    {
        string df = """
            ARG BASE=busybox
            FROM ${BASE} AS tools
            ARG GREETING=hi
            RUN echo "$GREETING from tools" > /tool.txt
            FROM busybox AS unused
            RUN exit 1
            FROM scratch AS final
            COPY --from=tools /tool.txt /out/
            COPY --from=tools /bin/busybox /bin/busybox
            FROM final AS release
            LABEL stage=release
            """;
        string ctx = fixture.Context(("Dockerfile", df));
        var r = Ok(_d.Berth("build", "--build-arg", "GREETING=hello", "--target", "final", "-t", "bt-multi", ctx));
        Assert.DoesNotContain("exit 1", r.Stdout);
        Assert.Equal("hello from tools", Ok(_d.Berth("run", "--rm", "bt-multi", "/bin/busybox", "cat", "/out/tool.txt")).Stdout.Trim());
        var release = Ok(_d.Berth("build", "--build-arg", "GREETING=hello", "-t", "bt-multi-release", ctx));
        Assert.DoesNotContain("RUN exit 1", release.Stdout);
        Assert.Equal("release", Ok(_d.Berth("inspect", "--format", "{{index .Config.Labels \"stage\"}}", "bt-multi-release")).Stdout.Trim());
    }

    [Fact]
    public void ConfigInstructionsCopyRulesAndHeredocs()
    {
        string df = "FROM busybox\nARG TARGETARCH\nWORKDIR /work/sub\nCOPY --chown=1234:5678 --chmod=750 a.sh ./\nCOPY dir /dest/\nCOPY *.txt /globs/\n" +
            "RUN <<EOF\necho heredoc > /heredoc\necho $TARGETARCH > /arch\nEOF\nUSER nobody\nEXPOSE 8080\nVOLUME /data\nENTRYPOINT [\"/bin/sh\"]\nSTOPSIGNAL SIGINT\n" +
            "SHELL [\"/bin/sh\", \"-ec\"]\nONBUILD RUN echo triggered\n";
        string ctx = fixture.Context(("Dockerfile", df), ("a.sh", "echo a"), ("dir/inner/b", "b\n"), ("one.txt", "1"), ("two.txt", "2"),
            (".dockerignore", "two.txt\n"));
        Ok(_d.Berth("build", "-t", "bt-config", ctx));
        var r = Ok(_d.Berth("run", "--rm", "--user", "0", "bt-config", "-c",
            "stat -c '%u:%g %a' /work/sub/a.sh; cat /dest/inner/b; ls /globs; cat /heredoc; pwd; test -s /arch && echo arch"));
        Assert.Equal("1234:5678 750\nb\none.txt\nheredoc\n/work/sub\narch", r.Stdout.Trim());
        var inspect = Ok(_d.Berth("inspect", "--format", "{{.Config.User}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{.Config.StopSignal}}|{{json .Config.OnBuild}}", "bt-config")).Stdout.Trim();
        Assert.Equal("nobody|{\"8080/tcp\":{}}|{\"/data\":{}}|SIGINT|[\"RUN echo triggered\"]", inspect);
        // The trigger fires in a build FROM this image.
        var child = Ok(_d.Berth("build", "-t", "bt-child", fixture.Context(("Dockerfile", "FROM bt-config\nENV CHILD=1\n"))));
        Assert.Contains("triggered", child.Stdout);
    }

    [Fact]
    public void AddFetchesUrlsAndUnpacksLocalArchives()
    {
        using var server = new System.Net.HttpListener();
        int port = Random.Shared.Next(20000, 30000);
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        _ = Task.Run(async () =>
        {
            while (server.IsListening)
            {
                var c = await server.GetContextAsync();
                var body = "served over http\n"u8.ToArray();
                c.Response.ContentLength64 = body.Length;
                await c.Response.OutputStream.WriteAsync(body);
                c.Response.Close();
            }
        });
        string ctx = fixture.Context(("Dockerfile", $"FROM busybox\nADD http://127.0.0.1:{port}/remote.txt /web/\nADD pack.tar.gz /unpacked/\nADD pack.tar.bz2 /bz/\nADD pack.tar.xz /xz/\n"), ("pack/x", "inside tar"));
        Ok(_d.Run("tar", ["-czf", Path.Combine(ctx, "pack.tar.gz"), "-C", Path.Combine(ctx, "pack"), "x"], null));
        Ok(_d.Run("tar", ["-cjf", Path.Combine(ctx, "pack.tar.bz2"), "-C", Path.Combine(ctx, "pack"), "x"], null));
        Ok(_d.Run("tar", ["-cJf", Path.Combine(ctx, "pack.tar.xz"), "-C", Path.Combine(ctx, "pack"), "x"], null));
        Ok(_d.Berth("build", "-t", "bt-add", ctx));
        Assert.Equal("served over http\n\ninside tar\ninside tar\ninside tar",
            Ok(_d.Berth("run", "--rm", "bt-add", "sh", "-c", "cat /web/remote.txt; echo; cat /unpacked/x; echo; cat /bz/x; echo; cat /xz/x")).Stdout.Trim());
        string bad = fixture.Context(("Dockerfile", $"FROM busybox\nADD --checksum=sha256:{new string('0', 64)} http://127.0.0.1:{port}/r.txt /r\n"));
        Assert.Contains("digest mismatch", _d.Berth("build", bad).Stderr);
        server.Stop();
    }

    [Fact]
    public void DockerCliBuildsAgainstBerth()
    {
        string? docker = new[] { "/usr/local/bin/docker", "/usr/bin/docker" }.FirstOrDefault(File.Exists);
        if (docker == null) return;
        string ctx = fixture.Context(("Dockerfile", Reference), ("file", "from docker\n"));
        var psiEnv = new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" };
        var r = RunWithEnv(docker, psiEnv, "build", "-t", "bt-docker:1", ctx);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Successfully tagged bt-docker:1", r.Stdout);
        Assert.Equal("from docker", Ok(_d.Berth("run", "--rm", "bt-docker:1", "cat", "/f")).Stdout.Trim());
        var failing = RunWithEnv(docker, psiEnv, "build", fixture.Context(("Dockerfile", "FROM busybox\nRUN exit 4\n")));
        Assert.NotEqual(0, failing.ExitCode);
        Assert.Contains("returned a non-zero code: 4", failing.Stderr + failing.Stdout);
    }

    private CommandResult RunWithEnv(string file, Dictionary<string, string> env, params string[] args)
    {
        foreach (var (k, v) in env) Environment.SetEnvironmentVariable(k, v);
        try { return _d.Run(file, args, null); }
        finally { foreach (var k in env.Keys) Environment.SetEnvironmentVariable(k, null); }
    }
}
