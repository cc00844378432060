namespace Berth.Integration.Tests;

/// <summary>Containers outlive the daemon: kill -9 of the daemon, start a new one, and everything still works.</summary>
[Trait("Category", "Root")]
public sealed class DaemonRestartTests : IDisposable
{
    private readonly BerthDaemon _d = new();

    public DaemonRestartTests()
    {
        var r = _d.Berth("image", "bootstrap");
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
    }

    public void Dispose() => _d.Dispose();

    [Fact]
    public void KilledDaemonLeavesContainersRunningAndANewOneAdoptsThem()
    {
        string id = _d.Berth("run", "-d", "--name", "survivor", "busybox", "sh", "-c", "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done").Stdout.Trim();
        string always = _d.Berth("run", "-d", "--restart", "always", "busybox", "sh", "-c", "sleep 0.5; exit 1").Stdout.Trim();
        Thread.Sleep(500);
        _d.Kill();
        Thread.Sleep(1500); // the container keeps logging while no daemon runs
        _d.Start();

        var ps = _d.Berth("ps", "--format", "{{.Names}}");
        Assert.Contains("survivor", ps.Stdout);
        var logs = _d.Berth("logs", "--tail", "1", id);
        int tick = int.Parse(logs.Stdout.Trim().Split(' ')[1]);
        Assert.True(tick >= 15, logs.ToString());
        var exec = _d.Berth("exec", id, "echo", "still here");
        Assert.Equal("still here\n", exec.Stdout);
        var stop = _d.Berth("stop", "-t", "1", id);
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal("exited", _d.Berth("inspect", "-f", "{{.State.Status}}", id).Stdout.Trim());

        // The restart policy is applied by the new daemon too.
        int before = int.Parse(_d.Berth("inspect", "-f", "{{.RestartCount}}", always).Stdout.Trim());
        int after = before;
        for (int i = 0; i < 60 && after <= before; i++)
        {
            Thread.Sleep(100);
            after = int.Parse(_d.Berth("inspect", "-f", "{{.RestartCount}}", always).Stdout.Trim());
        }
        Assert.True(after > before, $"restart count stayed at {before}");
    }
}
