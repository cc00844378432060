using Berth.Core.EngineApi;
using Berth.Runtime.Cgroups;

namespace Berth.Engine.Containers;

/// <summary>Builds Docker's stats document from a container's cgroup and the host's /proc/stat.</summary>
public static class ContainerStatsReader
{
    public static ContainerStatsResponse Read(ContainerRecord rec, ICgroupDriver? cgroups, string cgroupPath, ContainerStatsResponse? previous)
    {
        var res = new ContainerStatsResponse
        {
            Name = "/" + rec.Name,
            Id = rec.Id,
            Read = ContainerService.Rfc3339(DateTimeOffset.UtcNow),
            PreRead = previous?.Read ?? "0001-01-01T00:00:00Z",
            PreCpuStats = previous?.CpuStats ?? new CpuStats(),
            PidsStats = new PidsStats(),
            BlkioStats = new BlkioStats(),
            MemoryStats = new MemoryStats(),
            CpuStats = new CpuStats(),
            Networks = null,
        };
        if (cgroups == null) return res;
        CgroupStats st;
        try
        {
            st = cgroups.Stats(cgroupPath);
        }
        catch (Exception)
        {
            return res; // exited meanwhile
        }
        res.CpuStats = new CpuStats
        {
            CpuUsage = new CpuUsage { TotalUsage = (ulong)st.CpuUsageNanos },
            SystemCpuUsage = SystemCpuNanos(),
            OnlineCpus = (uint)Environment.ProcessorCount,
        };
        res.MemoryStats = new MemoryStats
        {
            Usage = (ulong)st.MemoryUsageBytes,
            Limit = (ulong)(st.MemoryLimitBytes ?? HostMemory()),
            Stats = new(),
        };
        res.PidsStats = new PidsStats { Current = (ulong)st.PidsCurrent, Limit = st.PidsLimit is { } l ? (ulong)l : null };
        res.NumProcs = 0;
        return res;
    }

    /// <summary>Total host CPU time in nanoseconds, from the first line of /proc/stat (clock ticks at 100 Hz).</summary>
    private static ulong SystemCpuNanos()
    {
        var line = File.ReadLines("/proc/stat").First();
        ulong ticks = 0;
        foreach (var f in line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(7))
            ticks += ulong.Parse(f);
        return ticks * 10_000_000UL;
    }

    private static long HostMemory()
    {
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        return 0;
    }
}
