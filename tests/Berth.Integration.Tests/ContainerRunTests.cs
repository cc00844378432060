namespace Berth.Integration.Tests;

/// <summary>berth run as a user types it: output, exit codes, isolation, limits.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class ContainerRunTests(DaemonFixture fixture)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    [Fact]
    public void RunRmPrintsOutputAndLeavesNothing()
    {
        var r = _d.Berth("run", "--rm", "--name", "it-hello", "busybox", "echo", "hello from a container");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("hello from a container\n", r.Stdout);
        Assert.DoesNotContain("it-hello", WaitForGone("it-hello"));
    }

    private string WaitForGone(string name)
    {
        string all = "";
        for (int i = 0; i < 50; i++)
        {
            all = _d.Berth("ps", "-a", "--format", "{{.Names}}").Stdout;
            if (!all.Contains(name)) break;
            Thread.Sleep(100);
        }
        return all;
    }

    [Theory]
    [InlineData(new[] { "sh", "-c", "exit 3" }, 3)]
    [InlineData(new[] { "nosuchcommand" }, 127)]
    [InlineData(new[] { "/etc" }, 126)]
    public void ExitCodesAreDockers(string[] command, int expected)
    {
        var r = _d.Berth(["run", "--rm", "busybox", .. command]);
        Assert.True(r.ExitCode == expected, r.ToString());
    }

    [Fact]
    public void MissingImageSaysSoAndExits125()
    {
        // A registry on loopback that refuses connections: the pull that follows must not reach Docker Hub.
        var r = _d.Berth("run", "--rm", "127.0.0.1:9/nosuch");
        Assert.Equal(125, r.ExitCode);
        Assert.StartsWith("Unable to find image '127.0.0.1:9/nosuch:latest' locally\n", r.Stderr);
        Assert.Contains("cannot reach", r.Stderr);
    }

    [Fact]
    public void UnknownFlagIsAUsageError()
    {
        var r = _d.Berth("run", "--no-such-flag", "busybox", "true");
        Assert.Equal(125, r.ExitCode);
        Assert.Contains("--no-such-flag", r.Stderr);
    }

    [Fact]
    public void ContainerIsIsolated()
    {
        var id = _d.Berth("create", "busybox", "sh", "-c",
            "hostname; echo pid=$$; ls /sys/class/net | tr '\\n' ' '; echo; grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status; cat /proc/kcore 2>/dev/null | wc -c; (echo 1 > /proc/sys/vm/overcommit_memory) 2>&1; true").Stdout.Trim();
        Assert.Equal(64, id.Length);
        var start = _d.Berth("start", "-a", id);
        Assert.True(start.ExitCode == 0, start.ToString());
        var lines = start.Stdout.Split('\n');
        Assert.Equal(id[..12], lines[0]);
        Assert.Equal("pid=1", lines[1]);
        Assert.Equal("eth0 lo", lines[2].Trim()); // the default bridge's interface, and nothing of the host's
        Assert.Contains(lines, l => l.StartsWith("CapEff:") && l.EndsWith("00000000a80425fb"));
        Assert.Contains(lines, l => l.StartsWith("NoNewPrivs:") && l.EndsWith("1"));
        Assert.Contains(lines, l => l.StartsWith("Seccomp:") && l.EndsWith("2"));
        Assert.Contains(lines, l => l.Trim() == "0"); // /proc/kcore is masked (or absent on this kernel)
        Assert.Contains(lines, l => l.Contains("Read-only file system")); // /proc/sys is read-only
        _d.Berth("rm", id);
    }

    [Fact]
    public void EnvWorkdirUserAndHostname()
    {
        string envFile = Path.Combine(_d.Root, "env.list");
        File.WriteAllText(envFile, "# comment\nFROM_FILE=yes\n");
        var r = _d.Berth("run", "--rm", "-e", "A=1", "--env-file", envFile, "-w", "/tmp/work", "-u", "1000:1001", "-h", "myhost",
            "busybox", "sh", "-c", "echo $A $FROM_FILE; pwd; id -u; id -g; hostname");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("1 yes\n/tmp/work\n1000\n1001\nmyhost\n", r.Stdout);
    }

    [Fact]
    public void NamedUserIsLookedUpInTheImage()
    {
        var r = _d.Berth("run", "--rm", "-u", "nobody", "busybox", "id");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("uid=65534", r.Stdout);
        var bad = _d.Berth("run", "--rm", "-u", "nosuchuser", "busybox", "id");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("nosuchuser", bad.Stderr);
    }

    [Fact]
    public void ReadOnlyRootfs()
    {
        var r = _d.Berth("run", "--rm", "--read-only", "busybox", "sh", "-c", "touch /x || echo refused");
        Assert.Contains("refused", r.Stdout);
    }

    [Fact]
    public void CapDropAndPrivileged()
    {
        var dropped = _d.Berth("run", "--rm", "--cap-drop", "ALL", "busybox", "grep", "CapEff", "/proc/self/status");
        Assert.EndsWith("0000000000000000", dropped.Stdout.Trim());
        var priv = _d.Berth("run", "--rm", "--privileged", "busybox", "grep", "CapEff", "/proc/self/status");
        Assert.DoesNotContain("00000000a80425fb", priv.Stdout);
    }

    [Fact]
    public void MemoryLimitOomKillIsReported()
    {
        var id = _d.Berth("run", "-d", "--memory", "16m", "busybox", "sh", "-c", "x=$(head -c 200m /dev/zero | tr '\\0' a); echo survived").Stdout.Trim();
        var wait = _d.Berth("wait", id);
        Assert.Equal("137", wait.Stdout.Trim());
        var oom = _d.Berth("inspect", "--format", "{{.State.OOMKilled}}", id);
        Assert.Equal("true", oom.Stdout.Trim());
        _d.Berth("rm", id);
    }

    [Fact]
    public void PidsLimitIsEnforced()
    {
        var r = _d.Berth("run", "--rm", "--pids-limit", "10", "busybox", "sh", "-c", "for i in $(seq 20); do sleep 2 & done; echo all started");
        Assert.DoesNotContain("all started", r.Stdout);
        Assert.Contains("can't fork", r.Stderr);
    }

    [Fact]
    public void InitReapsAndForwardsSignals()
    {
        var r = _d.Berth("run", "--rm", "--init", "busybox", "sh", "-c", "echo $$; cat /proc/1/cmdline | tr '\\0' ' '");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.NotEqual("1", r.Stdout.Split('\n')[0]);
    }

    [Fact]
    public void NameInUseIsAConflictAndNothingIsHalfCreated()
    {
        var first = _d.Berth("create", "--name", "it-dup", "busybox", "true");
        Assert.Equal(0, first.ExitCode);
        var second = _d.Berth("create", "--name", "it-dup", "busybox", "true");
        Assert.Equal(125, second.ExitCode);
        Assert.Contains("is already in use", second.Stderr);
        var count = _d.Berth("ps", "-a", "--filter", "name=it-dup", "-q").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Equal(1, count);
        var known = _d.Berth("ps", "-aq", "--no-trunc").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        foreach (var dir in Directory.GetDirectories(Path.Combine(_d.DataRoot, "containers")))
            Assert.Contains(Path.GetFileName(dir), known);
        _d.Berth("rm", "it-dup");
    }

    [Fact]
    public void AFailedStartReleasesTheAttachThatWaitedForIt()
    {
        string owner = _d.Berth("create", "--name", "it-netowner", "busybox", "sleep", "30").Stdout.Trim();
        try
        {
            var failed = _d.Berth("run", "--name", "it-netguest", "--network", "container:it-netowner", "busybox", "echo", "guest-ran");
            Assert.Equal(125, failed.ExitCode);
            Assert.Contains("non running container", failed.Stderr);
            Assert.Equal(0, _d.Berth("start", owner).ExitCode);
            // The attach of the failed run has gone, so this start is not held for it and shows its own output.
            var again = _d.Berth("start", "-a", "it-netguest");
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Equal("guest-ran\n", again.Stdout);
        }
        finally
        {
            _d.Berth("rm", "-f", "it-netguest", owner);
        }
    }
}
