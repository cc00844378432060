using Berth.Runtime.Cgroups;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

/// <summary>The v1 driver against a fake per-controller hierarchy of plain files.</summary>
public sealed class CgroupV1Tests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-rt-cg1-").FullName;

    public CgroupV1Tests()
    {
        foreach (var c in new[] { "memory", "cpu", "cpuacct", "pids", "cpuset" })
            Directory.CreateDirectory(Path.Combine(_root, c));
        File.WriteAllText(Path.Combine(_root, "cpuset", "cpuset.cpus"), "0-1\n");
        File.WriteAllText(Path.Combine(_root, "cpuset", "cpuset.mems"), "0\n");
    }

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void Create_writes_v1_limits_and_seeds_cpuset()
    {
        Directory.CreateDirectory(Path.Combine(_root, "memory", "c1"));
        File.WriteAllText(Path.Combine(_root, "memory", "c1", "memory.memsw.limit_in_bytes"), "");
        new CgroupV1(_root).Create("c1", new CgroupSpec { MemoryBytes = 1 << 20, CpuQuotaMicros = 25_000, CpuShares = 256, PidsLimit = 7 });
        string Read(string c, string f) => File.ReadAllText(Path.Combine(_root, c, "c1", f));
        Assert.Equal("1048576", Read("memory", "memory.limit_in_bytes"));
        Assert.Equal("1048576", Read("memory", "memory.memsw.limit_in_bytes"));
        Assert.Equal("25000", Read("cpu", "cpu.cfs_quota_us"));
        Assert.Equal("100000", Read("cpu", "cpu.cfs_period_us"));
        Assert.Equal("256", Read("cpu", "cpu.shares"));
        Assert.Equal("7", Read("pids", "pids.max"));
        Assert.Equal("0-1", Read("cpuset", "cpuset.cpus"));
        Assert.Equal("0", Read("cpuset", "cpuset.mems"));
    }

    [Fact]
    public void Stats_and_oom_read_v1_files()
    {
        var driver = new CgroupV1(_root);
        driver.Create("c2", new CgroupSpec());
        void Write(string c, string f, string v) => File.WriteAllText(Path.Combine(_root, c, "c2", f), v);
        Write("memory", "memory.usage_in_bytes", "4096\n");
        Write("memory", "memory.limit_in_bytes", "9223372036854771712\n");
        Write("cpuacct", "cpuacct.usage", "123456\n");
        Write("pids", "pids.current", "2\n");
        Write("pids", "pids.max", "max\n");
        Write("memory", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        Assert.Equal(new CgroupStats(4096, null, 123456, 2, null), driver.Stats("c2"));
        Assert.False(driver.OomKilled("c2"));
        Write("memory", "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        Assert.True(driver.OomKilled("c2"));
    }
}
