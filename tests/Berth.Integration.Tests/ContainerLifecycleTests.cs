namespace Berth.Integration.Tests;

/// <summary>Detached containers: ps, logs, exec, stop, restart, kill, rename, cp, export, prune.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class ContainerLifecycleTests(DaemonFixture fixture)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private string RunDetached(params string[] args)
    {
        var r = _d.Berth(["run", "-d", .. args]);
        Assert.True(r.ExitCode == 0, r.ToString());
        return r.Stdout.Trim();
    }

    [Fact]
    public void DetachedContainerCanBeListedLoggedExecutedAndStopped()
    {
        string id = RunDetached("--name", "it-life", "-l", "suite=it", "busybox", "sh", "-c", "echo started; echo oops >&2; trap 'echo bye; exit 0' TERM; while true; do sleep 0.1; done");
        Assert.Equal(64, id.Length);
        var ps = _d.Berth("ps", "--filter", "label=suite=it", "--format", "{{.Names}}\t{{.Status}}");
        Assert.StartsWith("it-life\tUp ", ps.Stdout.Trim());
        Thread.Sleep(300);
        var logs = _d.Berth("logs", "it-life");
        Assert.Equal("started\n", logs.Stdout);
        Assert.Equal("oops\n", logs.Stderr);
        var exec = _d.Berth("exec", "-e", "X=42", "-w", "/tmp", "it-life", "sh", "-c", "echo $X $(pwd)");
        Assert.Equal("42 /tmp\n", exec.Stdout);
        var execCode = _d.Berth("exec", "it-life", "sh", "-c", "exit 7");
        Assert.Equal(7, execCode.ExitCode);
        var stop = _d.Berth("stop", "it-life");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Equal("0", _d.Berth("inspect", "-f", "{{.State.ExitCode}}", id).Stdout.Trim());
        Assert.Contains("bye", _d.Berth("logs", id).Stdout);
        Assert.Equal("exited", _d.Berth("inspect", "-f", "{{.State.Status}}", id).Stdout.Trim());
        Assert.Equal(0, _d.Berth("rm", id).ExitCode);
    }

    [Fact]
    public void StopEscalatesToKillAfterTimeout()
    {
        string id = RunDetached("busybox", "sh", "-c", "trap '' TERM; while true; do sleep 0.1; done");
        var stop = _d.Berth("stop", "-t", "1", id);
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("137", _d.Berth("inspect", "-f", "{{.State.ExitCode}}", id).Stdout.Trim());
        _d.Berth("rm", id);
    }

    [Fact]
    public void KillRestartRenameAndForcedRemove()
    {
        string id = RunDetached("--name", "it-krr", "busybox", "sleep", "300");
        Assert.Equal(0, _d.Berth("restart", "-t", "0", id).ExitCode);
        Assert.Equal("running", _d.Berth("inspect", "-f", "{{.State.Status}}", id).Stdout.Trim());
        Assert.Equal(0, _d.Berth("rename", "it-krr", "it-krr2").ExitCode);
        Assert.Equal("/it-krr2", _d.Berth("inspect", "-f", "{{.Name}}", id).Stdout.Trim());
        var rmRunning = _d.Berth("rm", id);
        Assert.NotEqual(0, rmRunning.ExitCode);
        Assert.Equal(0, _d.Berth("kill", "-s", "USR1", id).ExitCode);
        Assert.Equal(0, _d.Berth("rm", "-f", id).ExitCode);
        Assert.NotEqual(0, _d.Berth("inspect", id).ExitCode);
    }

    [Fact]
    public void RestartPolicyOnFailureRetries()
    {
        string id = RunDetached("--restart", "on-failure:2", "busybox", "sh", "-c", "exit 1");
        for (int i = 0; i < 100; i++)
        {
            if (_d.Berth("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", id).Stdout.Trim() == "2 exited") break;
            Thread.Sleep(100);
        }
        Assert.Equal("2 exited", _d.Berth("inspect", "-f", "{{.RestartCount}} {{.State.Status}}", id).Stdout.Trim());
        _d.Berth("rm", "-f", id);
    }

    [Fact]
    public void CopyInAndOutAndExport()
    {
        string id = _d.Berth("create", "busybox", "cat", "/data/in.txt").Stdout.Trim();
        string src = Path.Combine(_d.Root, "in.txt");
        File.WriteAllText(src, "copied in\n");
        Assert.Equal(0, _d.Berth("cp", src, id + ":/tmp/").ExitCode);
        string outDir = Path.Combine(_d.Root, "out");
        Directory.CreateDirectory(outDir);
        var cpOut = _d.Berth("cp", id + ":/tmp/in.txt", outDir);
        Assert.True(cpOut.ExitCode == 0, cpOut.ToString());
        Assert.Equal("copied in\n", File.ReadAllText(Path.Combine(outDir, "in.txt")));
        var cpEtc = _d.Berth("cp", id + ":/etc", outDir);
        Assert.Equal(0, cpEtc.ExitCode);
        Assert.True(File.Exists(Path.Combine(outDir, "etc", "passwd")));
        string tar = Path.Combine(_d.Root, "export.tar");
        Assert.Equal(0, _d.Berth("export", "-o", tar, id).ExitCode);
        Assert.True(new FileInfo(tar).Length > 500_000);
        _d.Berth("rm", id);
    }

    [Fact]
    public void CopyRefusesToEscapeThroughSymlinks()
    {
        string id = RunDetached("busybox", "sh", "-c", "ln -s / /escape; ln -s /../../.. /up; sleep 300");
        Thread.Sleep(300);
        string marker = Path.Combine(_d.Root, "marker.txt");
        File.WriteAllText(marker, "x");
        _d.Berth("cp", marker, id + ":/escape/tmp/");
        _d.Berth("cp", marker, id + ":/up/tmp/");
        Assert.False(File.Exists("/tmp/marker.txt") && File.ReadAllText("/tmp/marker.txt") == "x" && new FileInfo("/tmp/marker.txt").LastWriteTimeUtc > DateTime.UtcNow.AddMinutes(-1));
        var inside = _d.Berth("exec", id, "ls", "/tmp");
        Assert.Contains("marker.txt", inside.Stdout);
        _d.Berth("rm", "-f", id);
    }

    [Fact]
    public void TopAndStats()
    {
        string id = RunDetached("busybox", "sleep", "300");
        var top = _d.Berth("top", id);
        Assert.Contains("sleep 300", top.Stdout);
        var stats = _d.Berth("stats", "--no-stream", "--format", "{{.Name}}", id);
        Assert.True(stats.ExitCode == 0, stats.ToString());
        _d.Berth("rm", "-f", id);
    }

    [Fact]
    public void PruneRemovesOnlyStoppedContainers()
    {
        string stopped = _d.Berth("create", "-l", "prune=it", "busybox", "true").Stdout.Trim();
        string running = RunDetached("-l", "prune=it", "busybox", "sleep", "300");
        var prune = _d.Berth("container", "prune", "-f", "--filter", "label=prune=it");
        Assert.Contains(stopped, prune.Stdout);
        Assert.Equal("running", _d.Berth("inspect", "-f", "{{.State.Status}}", running).Stdout.Trim());
        _d.Berth("rm", "-f", running);
    }
}
