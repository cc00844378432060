namespace Berth.Integration.Tests;

/// <summary>What a build reads: a Dockerfile on stdin, a Dockerfile's own ignore file, and a large context the daemon streams.</summary>
[Trait("Category", "Root")]
public sealed class BuildContextTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private static CommandResult Ok(CommandResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    [Fact]
    public void DockerfileFromStdinWithADirectoryContext()
    {
        string ctx = fixture.Context(("data.txt", "from the context\n"), ("Dockerfile", "FROM busybox\nRUN false\n"));
        var r = Ok(_d.BerthWithInput("FROM busybox\nCOPY data.txt /data.txt\nCMD [\"cat\", \"/data.txt\"]\n", "build", "-f", "-", "-t", "bx-stdin", ctx));
        Assert.Contains("Step 2/3 : COPY data.txt /data.txt", r.Stdout);
        Assert.Equal("from the context\n", Ok(_d.Berth("run", "--rm", "bx-stdin")).Stdout);
        Ok(_d.Berth("rmi", "bx-stdin"));
    }

    [Fact]
    public void DockerfileSpecificIgnoreFileWinsOverTheContextOne()
    {
        string ctx = fixture.Context(
            ("build/app.Dockerfile", "FROM busybox\nCOPY . /ctx\nRUN ls -a /ctx | sort | tr '\\n' ' ' > /listing\n"),
            ("build/app.Dockerfile.dockerignore", "secret.txt\nbuild/\n"),
            (".dockerignore", "public.txt\n"),
            ("secret.txt", "s"), ("public.txt", "p"), ("other.txt", "o"));
        Ok(_d.Berth("build", "-f", Path.Combine(ctx, "build/app.Dockerfile"), "-t", "bx-ignore", ctx));
        string listing = Ok(_d.Berth("run", "--rm", "bx-ignore", "cat", "/listing")).Stdout;
        Assert.Contains("public.txt", listing);   // .dockerignore is not used when app.Dockerfile.dockerignore exists
        Assert.Contains("other.txt", listing);
        Assert.DoesNotContain("secret.txt", listing);
        Assert.DoesNotContain("build", listing);
        Ok(_d.Berth("rmi", "bx-ignore"));
    }

    [Fact]
    public void LargeContextIsStreamedNotHeldInMemory()
    {
        const int files = 200, size = 1 << 20;
        string ctx = fixture.Context(("Dockerfile", "FROM busybox\nCOPY f007 /f\nRUN wc -c < /f > /size\n"));
        var block = new byte[size];
        Random.Shared.NextBytes(block);
        for (int i = 0; i < files; i++)
        {
            block[0] = (byte)i; // every file different
            File.WriteAllBytes(Path.Combine(ctx, $"f{i:D3}"), block);
        }
        try
        {
            long before = PeakRssKb(_d.Pid);
            Ok(_d.Run(_d.Binary, ["build", "-t", "bx-large", ctx], null, timeoutMs: 180_000));
            long growth = PeakRssKb(_d.Pid) - before;
            Assert.True(growth < 64 * 1024, $"the daemon's peak RSS grew by {growth / 1024} MiB for a {files * size >> 20} MiB context");
            Assert.Equal(size.ToString() + "\n", Ok(_d.Berth("run", "--rm", "bx-large", "cat", "/size")).Stdout);
            Ok(_d.Berth("rmi", "bx-large"));
        }
        finally
        {
            Directory.Delete(ctx, recursive: true);
        }
    }

    /// <summary>VmHWM, the peak resident set of the process since it started, in KiB.</summary>
    private static long PeakRssKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
