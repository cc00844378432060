namespace Berth.Integration.Tests;

/// <summary>RUN --mount in berth build: cache, tmpfs and bind mounts, what they leave in the image (nothing), and their errors.</summary>
[Trait("Category", "Root")]
public sealed class RunMountTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private static CommandResult Ok(CommandResult r)
    {
        Assert.True(r.ExitCode == 0, r.ToString());
        return r;
    }

    private string RunIn(string image, string script) => Ok(_d.Berth("run", "--rm", image, "sh", "-c", script)).Stdout.Trim();

    [Fact]
    public void CacheMountKeepsItsContentAcrossBuildsAndIsNotInTheImage()
    {
        string ctx = fixture.Context(("Dockerfile",
            "FROM busybox\nRUN --mount=type=cache,target=/var/cache/app,mode=0700 echo x >> /var/cache/app/log && wc -l < /var/cache/app/log > /count && stat -c %a /var/cache/app > /mode\n"));
        Ok(_d.Berth("build", "--no-cache", "-t", "rm-cache", ctx));
        Ok(_d.Berth("build", "--no-cache", "-t", "rm-cache", ctx));
        // busybox has /var but no /var/cache: the mount point and the parent made for it are both gone.
        Assert.Equal("2\n700\nabsent", RunIn("rm-cache", "cat /count /mode; test -e /var/cache && echo present || echo absent"));

        // The same cache by id from another target; a changed mount spec is a cache miss, the cache's content is not part of the key.
        File.WriteAllText(Path.Combine(ctx, "Dockerfile"), "FROM busybox\nRUN --mount=type=cache,id=/var/cache/app,target=/c,sharing=locked wc -l < /c/log > /count\n");
        var r = Ok(_d.Berth("build", "--progress", "plain", "-t", "rm-cache2", ctx));
        Assert.DoesNotContain("---> CACHED", r.Stdout);
        Assert.Equal("2\nabsent", RunIn("rm-cache2", "cat /count; test -e /c && echo present || echo absent"));
        Assert.Contains("---> CACHED", Ok(_d.Berth("build", "--progress", "plain", "-t", "rm-cache2", ctx)).Stdout);
        Ok(_d.Berth("rmi", "rm-cache", "rm-cache2"));

        // The cache shows as build cache in system df, and builder prune takes it away.
        Assert.Matches(@"Build Cache=[1-9]", Ok(_d.Berth("system", "df", "--format", "{{.Type}}={{.TotalCount}}")).Stdout);
        var pruned = Ok(_d.Berth("builder", "prune", "-f"));
        Assert.Contains("Deleted build cache objects:", pruned.Stdout);
        Assert.Empty(Directory.Exists(Path.Combine(_d.DataRoot, "buildcache")) ? Directory.GetDirectories(Path.Combine(_d.DataRoot, "buildcache")) : []);
        Assert.Contains("Build Cache=0", Ok(_d.Berth("system", "df", "--format", "{{.Type}}={{.TotalCount}}")).Stdout);
    }

    [Fact]
    public void TmpfsMountIsEmptyEachTimeAndIsNotInTheImage()
    {
        string ctx = fixture.Context(("Dockerfile",
            "FROM busybox\nRUN --mount=type=tmpfs,target=/scratch,size=8m ls -A /scratch | wc -l > /n && touch /scratch/f && grep ' /scratch ' /proc/mounts | cut -d' ' -f3 > /fs\n"));
        Ok(_d.Berth("build", "--no-cache", "-t", "rm-tmpfs", ctx));
        Ok(_d.Berth("build", "--no-cache", "-t", "rm-tmpfs", ctx));
        Assert.Equal("0\ntmpfs\nabsent", RunIn("rm-tmpfs", "cat /n /fs; test -e /scratch && echo present || echo absent"));
        Ok(_d.Berth("rmi", "rm-tmpfs"));
    }

    [Fact]
    public void BindFromTheContextReadsFilesAndCannotWriteIntoIt()
    {
        string ctx = fixture.Context(("data/x.txt", "hello"), ("Dockerfile",
            "FROM busybox\n" +
            "RUN --mount=target=/ctx cat /ctx/data/x.txt > /got && (touch /ctx/new 2>/dev/null && echo wrote || echo refused) > /w\n" +
            "RUN --mount=type=bind,source=data,target=/d,rw echo changed > /d/x.txt && cat /d/x.txt > /rw\n" +
            "RUN --mount=source=/data/x.txt,target=/etc/x.txt cat /etc/x.txt > /file\n"));
        Ok(_d.Berth("build", "-t", "rm-bind", ctx));
        Assert.Equal("hello\nrefused\nchanged\nhello\nabsent absent", RunIn("rm-bind", "cat /got; echo; cat /w /rw /file; echo; test -e /ctx || echo -n 'absent '; test -e /etc/x.txt || echo absent"));
        Assert.False(File.Exists(Path.Combine(ctx, "new")));
        Assert.Equal("hello", File.ReadAllText(Path.Combine(ctx, "data/x.txt")));

        // What a bind reads is part of the step's cache key.
        File.WriteAllText(Path.Combine(ctx, "data/x.txt"), "again");
        Ok(_d.Berth("build", "-t", "rm-bind", ctx));
        Assert.Equal("again", RunIn("rm-bind", "cat /got"));
        Ok(_d.Berth("rmi", "rm-bind"));
    }

    [Fact]
    public void BindFromAnotherStageOrImage()
    {
        string ctx = fixture.Context(("Dockerfile",
            "FROM busybox AS tools\nRUN echo built > /out.txt\n" +
            "FROM busybox\n" +
            "RUN --mount=type=bind,from=tools,source=/out.txt,target=/in.txt cat /in.txt > /got\n" +
            "RUN --mount=from=tools,target=/t,rw rm /t/out.txt && ls /t/out.txt 2>&1 | wc -l > /removed\n" +
            "RUN --mount=from=tools,target=/t test -f /t/out.txt && echo still > /still\n" +
            "RUN --mount=from=busybox,target=/bb test -x /bb/bin/sh && echo sh > /sh\n"));
        Ok(_d.Berth("build", "-t", "rm-from", ctx));
        Assert.Equal("built\n1\nstill\nsh\nabsent", RunIn("rm-from", "cat /got /removed /still /sh; test -e /in.txt || test -e /t || test -e /bb || echo absent"));
        Ok(_d.Berth("rmi", "rm-from"));
    }

    [Fact]
    public void SecretFromTheCliIsReadableInTheRunOnlyAndNotCached()
    {
        string ctx = fixture.Context(("Dockerfile",
            "FROM busybox\n" +
            "RUN --mount=type=secret,id=token cat /run/secrets/token > /got && stat -c %a /run/secrets/token > /mode\n" +
            "RUN --mount=type=secret,id=token,target=/etc/tok,mode=0440,gid=7 stat -c %a:%g /etc/tok > /other\n" +
            "RUN --mount=type=secret,id=absent (test -e /run/secrets/absent && echo present || echo absent) > /optional\n"));
        string secret = Path.Combine(ctx, "..", "secret-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(secret, "s3cret");
        try
        {
            Ok(_d.Berth("build", "--secret", "id=token,src=" + secret, "-t", "rm-secret", ctx));
            Assert.Equal("s3cret\n400\n440:7\nabsent\nno secret", RunIn("rm-secret", "cat /got; echo; cat /mode /other /optional; test -e /run/secrets || test -e /etc/tok || echo no secret"));
            // The secret's content is no part of the cache key (as in BuildKit): a new value reuses the step.
            File.WriteAllText(secret, "changed");
            var again = Ok(_d.Berth("build", "--progress", "plain", "--secret", "id=token,src=" + secret, "-t", "rm-secret", ctx));
            Assert.Equal(3, again.Stdout.Split("---> CACHED").Length - 1);
        }
        finally
        {
            File.Delete(secret);
        }
        Ok(_d.Berth("rmi", "rm-secret"));
    }

    [Theory]
    [InlineData("type=nope,target=/x", "unsupported mount type \"nope\"")]
    [InlineData("type=cache", "needs a target")]
    [InlineData("type=tmpfs,size=1m", "needs a target")]
    [InlineData("type=ssh", "type=ssh is not supported")]
    [InlineData("type=secret,id=token,required", "secret \"token\" is required")]
    [InlineData("source=missing.txt,target=/m", "missing.txt")]
    [InlineData("source=../outside,target=/m", "outside the build context")]
    [InlineData("from=nostage-nosuchimage,target=/m", "nostage-nosuchimage")]
    public void BadMountsFailNamingWhatIsWrong(string mount, string message)
    {
        string ctx = fixture.Context(("Dockerfile", $"FROM busybox\nRUN --mount={mount} true\n"));
        var r = _d.Berth("build", "-t", "rm-bad", ctx);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Stdout + r.Stderr);
    }
}
