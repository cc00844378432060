using Berth.Runtime.Cgroups;
using Berth.Runtime.Launch;

namespace Berth.Runtime.Tests;

/// <summary>Real limits on this (v1) host.</summary>
[Trait("Category", "Root")]
public class ContainerCgroupTests
{
    private static ICgroupDriver Driver => ContainerLauncher.Cgroups;

    [Fact]
    public void Memory_limit_is_enforced_and_reported_as_oom()
    {
        using var c = new ContainerRun("sh", "-c", "x=$(head -c 300m /dev/zero | tr '\\0' a); echo survived");
        c.UseCgroup();
        c.Spec.Cgroup.MemoryBytes = 96L << 20;
        c.Spec.Cgroup.MemorySwapBytes = 96L << 20;
        c.Start();
        var code = c.Wait();
        Assert.DoesNotContain("survived", c.Stdout);
        Assert.NotEqual(0, code);
        Assert.True(Driver.OomKilled(c.Spec.Cgroup.Path));
        Assert.Equal(96L << 20, Driver.Stats(c.Spec.Cgroup.Path).MemoryLimitBytes);
    }

    [Fact]
    public void Pids_limit_stops_a_fork_loop()
    {
        using var c = new ContainerRun("sh", "-c", "i=0; while [ $i -lt 60 ]; do sleep 3 & i=$((i+1)); done; echo done");
        c.UseCgroup();
        c.Spec.Cgroup.PidsLimit = 25;
        c.Start();
        var code = c.Wait();
        Assert.Contains("can't fork", c.Stderr);
        Assert.NotEqual(0, code);
        Assert.Equal(25, Driver.Stats(c.Spec.Cgroup.Path).PidsLimit);
        // The orphaned sleeps died with pid 1; the cgroup must be empty before removal.
        Driver.KillAll(c.Spec.Cgroup.Path, 9);
    }

    [Fact]
    public void Cpu_quota_and_shares_are_written_and_the_container_is_inside()
    {
        using var c = new ContainerRun("sh", "-c", "cat /proc/self/cgroup | grep -c ':/$'; sleep 30");
        c.UseCgroup();
        c.Spec.Cgroup.CpuQuotaMicros = 50_000;
        c.Spec.Cgroup.CpuShares = 512;
        var p = c.Start();
        var dir = Path.Combine("/sys/fs/cgroup/cpu", c.Spec.Cgroup.Path);
        Assert.Equal("50000", File.ReadAllText(Path.Combine(dir, "cpu.cfs_quota_us")).Trim());
        Assert.Equal("100000", File.ReadAllText(Path.Combine(dir, "cpu.cfs_period_us")).Trim());
        Assert.Equal("512", File.ReadAllText(Path.Combine(dir, "cpu.shares")).Trim());
        Assert.Contains(p.Pid, Driver.Pids(c.Spec.Cgroup.Path));
        Assert.True(Driver.Stats(c.Spec.Cgroup.Path).PidsCurrent >= 1);
        Driver.KillAll(c.Spec.Cgroup.Path, 9);
        Assert.Equal(137, c.Wait());
        // With a cgroup namespace every controller line reads "/" from inside.
        Assert.NotEqual("0\n", c.Stdout);
    }

    [Fact]
    public void Freeze_and_thaw_a_running_container()
    {
        using var c = new ContainerRun("sleep", "30");
        c.UseCgroup();
        var p = c.Start();
        var state = Path.Combine("/sys/fs/cgroup/freezer", c.Spec.Cgroup.Path, "freezer.state");
        Driver.Freeze(c.Spec.Cgroup.Path);
        Assert.NotEqual("THAWED", File.ReadAllText(state).Trim());
        Driver.Thaw(c.Spec.Cgroup.Path);
        Assert.Equal("THAWED", File.ReadAllText(state).Trim());
        ContainerSignals.Send(p.Pid, 9);
        Assert.Equal(137, c.Wait());
    }
}
