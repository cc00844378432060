using Berth.Core;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

/// <summary>The v2 driver against a fake hierarchy of plain files (this host is hybrid, so real v2 is not available).</summary>
public sealed class CgroupV2Tests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-rt-cg2-").FullName;

    public CgroupV2Tests()
    {
        File.WriteAllText(Path.Combine(_root, "cgroup.controllers"), "cpuset cpu io memory pids\n");
        File.WriteAllText(Path.Combine(_root, "cgroup.subtree_control"), "");
    }

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void Detect_picks_v2_when_the_root_has_cgroup_controllers()
    {
        Assert.Equal(2, CgroupDriver.Detect(_root).Version);
        var v1Root = Directory.CreateTempSubdirectory("berth-rt-cg1-").FullName;
        try
        {
            Assert.Equal(1, CgroupDriver.Detect(v1Root).Version);
        }
        finally
        {
            Directory.Delete(v1Root, true);
        }
    }

    [Fact]
    public void Create_writes_limits_in_v2_format()
    {
        var driver = new CgroupV2(_root);
        Directory.CreateDirectory(Path.Combine(_root, "berth", "c1"));
        File.WriteAllText(Path.Combine(_root, "berth", "c1", "memory.swap.max"), "max");
        driver.Create("berth/c1", new CgroupSpec
        {
            MemoryBytes = 64 << 20, MemorySwapBytes = 96 << 20, CpuQuotaMicros = 150_000, CpuShares = 512, PidsLimit = 20,
        });
        var dir = Path.Combine(_root, "berth", "c1");
        Assert.Equal("67108864", File.ReadAllText(Path.Combine(dir, "memory.max")));
        Assert.Equal("33554432", File.ReadAllText(Path.Combine(dir, "memory.swap.max")));
        Assert.Equal("150000 100000", File.ReadAllText(Path.Combine(dir, "cpu.max")));
        Assert.Equal("20", File.ReadAllText(Path.Combine(dir, "pids.max")));
        Assert.Equal(CgroupV2.SharesToWeight(512).ToString(), File.ReadAllText(Path.Combine(dir, "cpu.weight")));
        Assert.Contains("+memory", File.ReadAllText(Path.Combine(_root, "cgroup.subtree_control")));
    }

    [Fact]
    public void Shares_map_to_weight_like_runc()
    {
        Assert.Equal(1, CgroupV2.SharesToWeight(2));
        Assert.Equal(39, CgroupV2.SharesToWeight(1024));
        Assert.Equal(10000, CgroupV2.SharesToWeight(262144));
    }

    [Fact]
    public void Stats_and_oom_read_v2_files()
    {
        var driver = new CgroupV2(_root);
        driver.Create("c2", new CgroupSpec());
        var dir = Path.Combine(_root, "c2");
        File.WriteAllText(Path.Combine(dir, "memory.current"), "1048576\n");
        File.WriteAllText(Path.Combine(dir, "memory.max"), "max\n");
        File.WriteAllText(Path.Combine(dir, "cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        File.WriteAllText(Path.Combine(dir, "pids.current"), "3\n");
        File.WriteAllText(Path.Combine(dir, "pids.max"), "50\n");
        File.WriteAllText(Path.Combine(dir, "memory.events"), "low 0\nhigh 0\nmax 4\noom 1\noom_kill 0\n");
        File.WriteAllText(Path.Combine(dir, "cgroup.procs"), "12\n34\n");
        var stats = driver.Stats("c2");
        Assert.Equal(new CgroupStats(1048576, null, 2_500_000, 3, 50), stats);
        Assert.False(driver.OomKilled("c2"));
        File.WriteAllText(Path.Combine(dir, "memory.events"), "low 0\nhigh 0\nmax 4\noom 1\noom_kill 1\n");
        Assert.True(driver.OomKilled("c2"));
        Assert.Equal([12, 34], driver.Pids("c2"));
    }

    [Fact]
    public void AddTask_writes_cgroup_procs()
    {
        var driver = new CgroupV2(_root);
        driver.Create("c3", new CgroupSpec());
        File.WriteAllText(Path.Combine(_root, "c3", "cgroup.procs"), "");
        driver.AddTask("c3", 4242);
        Assert.Equal("4242", File.ReadAllText(Path.Combine(_root, "c3", "cgroup.procs")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("")]
    [InlineData("a/./b")]
    public void Bad_paths_are_rejected_naming_them(string path)
    {
        var e = Assert.Throws<BerthException>(() => new CgroupV2(_root).Create(path, new CgroupSpec()));
        Assert.Contains($"\"{path}\"", e.Message);
    }

    [Fact]
    public void Remove_of_a_missing_cgroup_is_quiet() => new CgroupV2(_root).Remove("never/made");
}
