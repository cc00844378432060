namespace Berth.Runtime.Cgroups;

/// <summary>A snapshot of a cgroup's resource usage; a null limit means unlimited.</summary>
public sealed record CgroupStats(long MemoryUsageBytes, long? MemoryLimitBytes, long CpuUsageNanos, long PidsCurrent, long? PidsLimit);
