using System.Diagnostics;
using Berth.Runtime.Monitor;

namespace Berth.Runtime.Tests;

public class MonitorStandbyTests
{
    [Fact]
    public async Task ASpareMonitorServesTheNextContainerAndAFreshSpareFollows()
    {
        using var standby = new MonitorStandby(MonitorHostBinary.Path);
        standby.Prepare();
        int firstSpare = await ReadySpare(standby);

        using var c = MonitorTestContainer.Create(["sh", "-c", "echo from-standby"]);
        var started = MonitorProcess.SpawnChild(MonitorHostBinary.Path, c.StateDir, standby);
        Assert.Equal(firstSpare, started.MonitorPid);
        var exit = await c.Client.WaitAsync(MonitorTestContainer.Guard());
        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("from-standby", File.ReadAllText(c.LogPath));

        int secondSpare = await ReadySpare(standby);
        Assert.NotEqual(firstSpare, secondSpare);
        await MonitorTestContainer.WaitUntil(() => MonitorTestContainer.ProcessGone(firstSpare));
    }

    [Fact]
    public async Task AnUnassignedSpareExitsWhenItsStandbyIsDisposed()
    {
        var standby = new MonitorStandby(MonitorHostBinary.Path);
        standby.Prepare();
        int spare = await ReadySpare(standby);
        standby.Dispose();
        await MonitorTestContainer.WaitUntil(() => { ChildReaper.Sweep(); return MonitorTestContainer.ProcessGone(spare); });
    }

    [Fact]
    public void WithoutASpareTheMonitorIsSpawnedAsBefore()
    {
        using var standby = new MonitorStandby(MonitorHostBinary.Path);
        using var c = MonitorTestContainer.Create(["true"]);
        var started = MonitorProcess.SpawnChild(MonitorHostBinary.Path, c.StateDir, standby);
        Assert.True(started.MonitorPid > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative/dir\n")]
    [InlineData("/nonexistent/berth-standby-test\n")]
    [InlineData("/tmp")]
    public void AStandbyGivenNoUsableStateDirExitsQuietly(string assignment)
    {
        var psi = new ProcessStartInfo(MonitorHostBinary.Path) { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var a in new[] { "__monitor", "--standby", "--assign-fd", "0" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Write(assignment);
        p.StandardInput.Close();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void StandbyFlagsAreChecked()
    {
        var psi = new ProcessStartInfo(MonitorHostBinary.Path) { RedirectStandardError = true };
        foreach (var a in new[] { "__monitor", "--standby", "/some/dir" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(30_000));
        Assert.Equal(125, p.ExitCode);
        Assert.Contains("--standby takes --assign-fd and no state dir", err);
    }

    private static async Task<int> ReadySpare(MonitorStandby standby)
    {
        for (int i = 0; i < 600; i++)
        {
            if (standby.PeekSparePid() is int pid)
                return pid;
            await Task.Delay(20);
        }
        throw new TimeoutException("no spare monitor within 12 s");
    }
}
