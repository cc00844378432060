using System.Globalization;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Cgroups;

/// <summary>cgroup v2: one unified hierarchy; controllers are enabled down the path through cgroup.subtree_control.</summary>
public sealed class CgroupV2 : ICgroupDriver
{
    private readonly string _root;

    /// <param name="root">The unified mount, normally /sys/fs/cgroup.</param>
    public CgroupV2(string root = "/sys/fs/cgroup") => _root = root;

    public int Version => 2;

    public bool SupportsThreadPlacement => false;

    private string Dir(string path) => CgroupFiles.Join(_root, path);

    public void Create(string path, CgroupSpec spec)
    {
        var dir = Dir(path);
        EnableControllers(path);
        Directory.CreateDirectory(dir);
        if (spec.MemoryBytes is { } m)
        {
            CgroupFiles.Write(Path.Combine(dir, "memory.max"), Num(m));
            var swapFile = Path.Combine(dir, "memory.swap.max");
            // Docker's MemorySwap is memory+swap; v2 limits swap alone.
            if (spec.MemorySwapBytes is { } total && File.Exists(swapFile))
                CgroupFiles.Write(swapFile, total < 0 ? "max" : Num(Math.Max(0, total - m)));
        }
        if (spec.CpuQuotaMicros is { } q)
            CgroupFiles.Write(Path.Combine(dir, "cpu.max"), $"{(q <= 0 ? "max" : Num(q))} {Num(spec.CpuPeriodMicros)}");
        if (spec.CpuShares is { } s)
            CgroupFiles.Write(Path.Combine(dir, "cpu.weight"), Num(SharesToWeight(s)));
        if (spec.PidsLimit is { } p)
            CgroupFiles.Write(Path.Combine(dir, "pids.max"), p <= 0 ? "max" : Num(p));
    }

    /// <summary>The conversion runc and crun use from v1 cpu.shares (2..262144) to v2 cpu.weight (1..10000).</summary>
    public static long SharesToWeight(long shares) =>
        shares <= 0 ? 100 : 1 + (Math.Clamp(shares, 2, 262144) - 2) * 9999 / 262142;

    private void EnableControllers(string path)
    {
        var current = _root;
        foreach (var part in path.Trim('/').Split('/'))
        {
            var available = CgroupFiles.Read(Path.Combine(current, "cgroup.controllers"))?.Split(' ', '\n') ?? [];
            var wanted = new[] { "cpu", "memory", "pids", "cpuset", "io" }.Where(available.Contains).ToList();
            var control = Path.Combine(current, "cgroup.subtree_control");
            if (wanted.Count > 0 && File.Exists(control))
                CgroupFiles.Write(control, string.Join(' ', wanted.Select(c => "+" + c)));
            current = Path.Combine(current, part);
            Directory.CreateDirectory(current);
        }
    }

    public void AddTask(string path, int id) => CgroupFiles.Write(Path.Combine(Dir(path), "cgroup.procs"), Num(id));

    public IReadOnlyList<int> Pids(string path) => CgroupFiles.ReadPids(Path.Combine(Dir(path), "cgroup.procs"));

    public CgroupStats Stats(string path)
    {
        var dir = Dir(path);
        var usec = CgroupFiles.ReadKey(Path.Combine(dir, "cpu.stat"), "usage_usec") ?? 0;
        return new CgroupStats(
            CgroupFiles.ReadLong(Path.Combine(dir, "memory.current")) ?? 0,
            CgroupFiles.ReadLong(Path.Combine(dir, "memory.max")),
            usec * 1000,
            CgroupFiles.ReadLong(Path.Combine(dir, "pids.current")) ?? 0,
            CgroupFiles.ReadLong(Path.Combine(dir, "pids.max")));
    }

    public bool OomKilled(string path) => (CgroupFiles.ReadKey(Path.Combine(Dir(path), "memory.events"), "oom_kill") ?? 0) > 0;

    public void KillAll(string path, int signal)
    {
        var killFile = Path.Combine(Dir(path), "cgroup.kill");
        if (signal == 9 && File.Exists(killFile))
            CgroupFiles.Write(killFile, "1");
        else
            CgroupFiles.KillPids(Pids(path), signal);
    }

    public void Freeze(string path) => CgroupFiles.Write(Path.Combine(Dir(path), "cgroup.freeze"), "1");

    public void Thaw(string path) => CgroupFiles.Write(Path.Combine(Dir(path), "cgroup.freeze"), "0");

    public void Remove(string path) => CgroupFiles.RemoveDir(Dir(path));

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);
}
