using System.Text.Json.Serialization;

namespace Berth.Core.EngineApi;

/// <summary>GET /containers/{id}/stats: one sample (the fields `docker stats` uses).</summary>
public sealed class ContainerStatsResponse
{
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    /// <summary>RFC 3339 time of this sample.</summary>
    [JsonPropertyName("read")] public string Read { get; set; } = "0001-01-01T00:00:00Z";
    [JsonPropertyName("preread")] public string PreRead { get; set; } = "0001-01-01T00:00:00Z";
    [JsonPropertyName("pids_stats")] public PidsStats? PidsStats { get; set; }
    [JsonPropertyName("blkio_stats")] public BlkioStats? BlkioStats { get; set; }
    [JsonPropertyName("num_procs")] public uint NumProcs { get; set; }
    [JsonPropertyName("cpu_stats")] public CpuStats? CpuStats { get; set; }
    [JsonPropertyName("precpu_stats")] public CpuStats? PreCpuStats { get; set; }
    [JsonPropertyName("memory_stats")] public MemoryStats? MemoryStats { get; set; }
    [JsonPropertyName("networks")] public Dictionary<string, NetworkStats>? Networks { get; set; }
}

/// <summary>Process counts of a container.</summary>
public sealed class PidsStats
{
    [JsonPropertyName("current")] public ulong? Current { get; set; }
    [JsonPropertyName("limit")] public ulong? Limit { get; set; }
}

/// <summary>Block IO counters of a container (cgroup v1 names; v2 fills io_service_bytes_recursive only).</summary>
public sealed class BlkioStats
{
    [JsonPropertyName("io_service_bytes_recursive")] public List<BlkioStatEntry>? IoServiceBytesRecursive { get; set; }
    [JsonPropertyName("io_serviced_recursive")] public List<BlkioStatEntry>? IoServicedRecursive { get; set; }
    [JsonPropertyName("io_queue_recursive")] public List<BlkioStatEntry>? IoQueueRecursive { get; set; }
    [JsonPropertyName("io_service_time_recursive")] public List<BlkioStatEntry>? IoServiceTimeRecursive { get; set; }
    [JsonPropertyName("io_wait_time_recursive")] public List<BlkioStatEntry>? IoWaitTimeRecursive { get; set; }
    [JsonPropertyName("io_merged_recursive")] public List<BlkioStatEntry>? IoMergedRecursive { get; set; }
    [JsonPropertyName("io_time_recursive")] public List<BlkioStatEntry>? IoTimeRecursive { get; set; }
    [JsonPropertyName("sectors_recursive")] public List<BlkioStatEntry>? SectorsRecursive { get; set; }
}

/// <summary>One block IO counter; Op is "read", "write", … (case varies between cgroup versions).</summary>
public sealed class BlkioStatEntry
{
    [JsonPropertyName("major")] public ulong Major { get; set; }
    [JsonPropertyName("minor")] public ulong Minor { get; set; }
    [JsonPropertyName("op")] public string Op { get; set; } = "";
    [JsonPropertyName("value")] public ulong Value { get; set; }
}

/// <summary>CPU counters of a container and of the system.</summary>
public sealed class CpuStats
{
    [JsonPropertyName("cpu_usage")] public CpuUsage CpuUsage { get; set; } = new();
    [JsonPropertyName("system_cpu_usage")] public ulong? SystemCpuUsage { get; set; }
    [JsonPropertyName("online_cpus")] public uint? OnlineCpus { get; set; }
    [JsonPropertyName("throttling_data")] public ThrottlingData? ThrottlingData { get; set; }
}

/// <summary>CPU time used, in nanoseconds.</summary>
public sealed class CpuUsage
{
    [JsonPropertyName("total_usage")] public ulong TotalUsage { get; set; }
    [JsonPropertyName("percpu_usage")] public List<ulong>? PercpuUsage { get; set; }
    [JsonPropertyName("usage_in_kernelmode")] public ulong UsageInKernelmode { get; set; }
    [JsonPropertyName("usage_in_usermode")] public ulong UsageInUsermode { get; set; }
}

/// <summary>CFS throttling counters.</summary>
public sealed class ThrottlingData
{
    [JsonPropertyName("periods")] public ulong Periods { get; set; }
    [JsonPropertyName("throttled_periods")] public ulong ThrottledPeriods { get; set; }
    [JsonPropertyName("throttled_time")] public ulong ThrottledTime { get; set; }
}

/// <summary>Memory counters; `docker stats` shows usage minus stats["inactive_file"] (v2) or stats["total_inactive_file"] (v1).</summary>
public sealed class MemoryStats
{
    [JsonPropertyName("usage")] public ulong? Usage { get; set; }
    [JsonPropertyName("max_usage")] public ulong? MaxUsage { get; set; }
    [JsonPropertyName("stats")] public Dictionary<string, ulong>? Stats { get; set; }
    [JsonPropertyName("failcnt")] public ulong? Failcnt { get; set; }
    [JsonPropertyName("limit")] public ulong? Limit { get; set; }
}

/// <summary>Counters of one network interface.</summary>
public sealed class NetworkStats
{
    [JsonPropertyName("rx_bytes")] public ulong RxBytes { get; set; }
    [JsonPropertyName("rx_packets")] public ulong RxPackets { get; set; }
    [JsonPropertyName("rx_errors")] public ulong RxErrors { get; set; }
    [JsonPropertyName("rx_dropped")] public ulong RxDropped { get; set; }
    [JsonPropertyName("tx_bytes")] public ulong TxBytes { get; set; }
    [JsonPropertyName("tx_packets")] public ulong TxPackets { get; set; }
    [JsonPropertyName("tx_errors")] public ulong TxErrors { get; set; }
    [JsonPropertyName("tx_dropped")] public ulong TxDropped { get; set; }
}
