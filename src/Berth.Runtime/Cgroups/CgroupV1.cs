using System.Globalization;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Cgroups;

/// <summary>cgroup v1: one hierarchy per controller under the root (memory, cpu, cpuacct, pids, cpuset, freezer, blkio).</summary>
public sealed class CgroupV1 : ICgroupDriver
{
    private static readonly string[] Controllers = ["memory", "cpu", "cpuacct", "pids", "cpuset", "freezer", "blkio"];

    private readonly string _root;

    /// <param name="root">The directory holding the controller mounts, normally /sys/fs/cgroup.</param>
    public CgroupV1(string root = "/sys/fs/cgroup") => _root = root;

    /// <summary>The directory holding one mount per controller.</summary>
    public string Root => _root;

    public int Version => 1;

    public bool SupportsThreadPlacement => true;

    /// <summary>The controller directories this host has, deduplicated when co-mounted (cpu,cpuacct).</summary>
    private IEnumerable<string> ControllerRoots()
    {
        var seen = new HashSet<string>();
        foreach (var c in Controllers)
        {
            var dir = Path.Combine(_root, c);
            if (!Directory.Exists(dir))
                continue;
            var real = new DirectoryInfo(dir).ResolveLinkTarget(true)?.FullName ?? dir;
            if (seen.Add(real))
                yield return dir;
        }
    }

    private string Dir(string controller, string path) => CgroupFiles.Join(Path.Combine(_root, controller), path);

    public void Create(string path, CgroupSpec spec)
    {
        foreach (var controllerRoot in ControllerRoots())
        {
            var dir = CgroupFiles.Join(controllerRoot, path);
            if (Path.GetFileName(controllerRoot) == "cpuset")
                CreateCpuset(controllerRoot, path);
            else
                Directory.CreateDirectory(dir);
        }
        var mem = Dir("memory", path);
        if (spec.MemoryBytes is { } m)
        {
            CgroupFiles.Write(Path.Combine(mem, "memory.limit_in_bytes"), Num(m));
            if (File.Exists(Path.Combine(mem, "memory.memsw.limit_in_bytes")))
            {
                // memsw must stay >= the memory limit; without an explicit swap value Docker's engine decides, so
                // here the total only follows an explicit MemorySwapBytes (-1 = unlimited).
                var swap = spec.MemorySwapBytes ?? m;
                CgroupFiles.Write(Path.Combine(mem, "memory.memsw.limit_in_bytes"), swap < 0 ? "-1" : Num(swap));
            }
        }
        var cpu = Dir("cpu", path);
        if (spec.CpuQuotaMicros is { } q)
        {
            CgroupFiles.Write(Path.Combine(cpu, "cpu.cfs_period_us"), Num(spec.CpuPeriodMicros));
            CgroupFiles.Write(Path.Combine(cpu, "cpu.cfs_quota_us"), Num(q));
        }
        if (spec.CpuShares is { } s)
            CgroupFiles.Write(Path.Combine(cpu, "cpu.shares"), Num(s));
        if (spec.PidsLimit is { } p)
            CgroupFiles.Write(Path.Combine(Dir("pids", path), "pids.max"), p <= 0 ? "max" : Num(p));
    }

    // A new cpuset cgroup starts with empty cpus/mems and refuses tasks until they are copied from the parent.
    private static void CreateCpuset(string controllerRoot, string path)
    {
        var current = controllerRoot;
        foreach (var part in path.Trim('/').Split('/'))
        {
            var parent = current;
            current = Path.Combine(current, part);
            Directory.CreateDirectory(current);
            foreach (var file in new[] { "cpuset.cpus", "cpuset.mems" })
            {
                var mine = Path.Combine(current, file);
                if (string.IsNullOrWhiteSpace(CgroupFiles.Read(mine)))
                    CgroupFiles.Write(mine, CgroupFiles.Read(Path.Combine(parent, file))?.Trim() ?? "");
            }
        }
    }

    public void AddTask(string path, int id)
    {
        foreach (var controllerRoot in ControllerRoots())
            CgroupFiles.Write(Path.Combine(CgroupFiles.Join(controllerRoot, path), "tasks"), Num(id));
    }

    /// <summary>
    /// Moves the calling thread into the cgroup in every hierarchy. It writes "0" (the writer itself) to each tasks
    /// file: for a single thread moving itself the kernel skips the thread-group lock whose write side waits for an
    /// RCU grace period, which for a pid costs about 10 ms on the first hierarchy of every container start.
    /// </summary>
    internal void MoveCurrentThread(string path)
    {
        foreach (var controllerRoot in ControllerRoots())
            CgroupFiles.Write(Path.Combine(CgroupFiles.Join(controllerRoot, path), "tasks"), "0");
    }

    /// <summary>The calling thread's cgroup path per controller, from /proc/thread-self/cgroup.</summary>
    internal static Dictionary<string, string> ThreadCgroups()
    {
        var map = new Dictionary<string, string>();
        foreach (var line in (CgroupFiles.Read("/proc/thread-self/cgroup") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3)
                foreach (var controller in parts[1].Split(','))
                    map[controller] = parts[2];
        }
        return map;
    }

    /// <summary>Moves the calling thread back to the cgroups it had (see <see cref="ThreadCgroups"/>), so it does not count against the container.</summary>
    internal void ReturnCurrentThread(Dictionary<string, string> home)
    {
        foreach (var controllerRoot in ControllerRoots())
        {
            if (!home.TryGetValue(Path.GetFileName(controllerRoot), out var path))
                continue;
            var tasks = Path.Combine(controllerRoot, path.TrimStart('/'), "tasks");
            CgroupFiles.Write(tasks, "0");
        }
    }

    public IReadOnlyList<int> Pids(string path) => CgroupFiles.ReadPids(Path.Combine(PidsDir(path), "cgroup.procs"));

    private string PidsDir(string path)
    {
        foreach (var c in new[] { "pids", "memory", "freezer" })
            if (Directory.Exists(Path.Combine(_root, c)))
                return Dir(c, path);
        return Dir(Controllers[0], path);
    }

    public CgroupStats Stats(string path)
    {
        var mem = Dir("memory", path);
        var limit = CgroupFiles.ReadLong(Path.Combine(mem, "memory.limit_in_bytes"));
        // v1 reports "unlimited" as a page-rounded LONG_MAX.
        if (limit >= long.MaxValue / 2)
            limit = null;
        return new CgroupStats(
            CgroupFiles.ReadLong(Path.Combine(mem, "memory.usage_in_bytes")) ?? 0,
            limit,
            CgroupFiles.ReadLong(Path.Combine(Dir("cpuacct", path), "cpuacct.usage")) ?? 0,
            CgroupFiles.ReadLong(Path.Combine(Dir("pids", path), "pids.current")) ?? 0,
            CgroupFiles.ReadLong(Path.Combine(Dir("pids", path), "pids.max")));
    }

    public bool OomKilled(string path)
    {
        var mem = Dir("memory", path);
        var kills = CgroupFiles.ReadKey(Path.Combine(mem, "memory.oom_control"), "oom_kill");
        if (kills is { } k)
            return k > 0;
        // Kernels before 4.13 lack the counter; hitting the limit is the best remaining evidence.
        return (CgroupFiles.ReadLong(Path.Combine(mem, "memory.failcnt")) ?? 0) > 0;
    }

    public void KillAll(string path, int signal) => CgroupFiles.KillPids(Pids(path), signal);

    public void Freeze(string path) => CgroupFiles.Write(Path.Combine(Dir("freezer", path), "freezer.state"), "FROZEN");

    public void Thaw(string path) => CgroupFiles.Write(Path.Combine(Dir("freezer", path), "freezer.state"), "THAWED");

    public void Remove(string path)
    {
        foreach (var controllerRoot in ControllerRoots())
            CgroupFiles.RemoveDir(CgroupFiles.Join(controllerRoot, path));
    }

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);
}
