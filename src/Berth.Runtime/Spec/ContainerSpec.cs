namespace Berth.Runtime.Spec;

/// <summary>Everything the runtime needs to start one container; written by the engine as spec.json in the container's state dir.</summary>
public sealed class ContainerSpec
{
    /// <summary>Full 64-hex container ID.</summary>
    public string Id { get; set; } = "";
    public ProcessSpec Process { get; set; } = new();
    public RootfsSpec Rootfs { get; set; } = new();
    public string Hostname { get; set; } = "";
    public string? Domainname { get; set; }
    /// <summary>Extra mounts in order (binds, tmpfs, the engine-made /etc/hosts, /etc/hostname, /etc/resolv.conf).</summary>
    public List<MountSpec> Mounts { get; set; } = new();
    /// <summary>"none" = new network namespace with only lo up; "host" = the host's; "ns:/path" = join that network namespace.</summary>
    public string Network { get; set; } = "none";

    /// <summary>The network namespace to join (<see cref="Network"/> "ns:&lt;path&gt;"), or null.</summary>
    public string? JoinedNetworkNamespace() => Network.StartsWith("ns:", StringComparison.Ordinal) ? Network[3..] : null;

    /// <summary>Whether the container gets a network namespace of its own: neither the host's nor a joined one.</summary>
    public bool OwnsNetworkNamespace() => Network != "host" && JoinedNetworkNamespace() == null;
    public CgroupSpec Cgroup { get; set; } = new();
    public bool Privileged { get; set; }
    /// <summary>Run a minimal pid 1 that forwards signals and reaps zombies, with the command as its child.</summary>
    public bool Init { get; set; }
    /// <summary>Docker's masked paths; null means the default list.</summary>
    public List<string>? MaskedPaths { get; set; }
    /// <summary>Docker's read-only /proc paths; null means the default list.</summary>
    public List<string>? ReadonlyPaths { get; set; }
    /// <summary>Apply Docker's default seccomp profile (off when privileged or seccomp=unconfined).</summary>
    public bool Seccomp { get; set; } = true;
    /// <summary>Sysctls to write under /proc/sys inside the container's namespaces.</summary>
    public Dictionary<string, string>? Sysctls { get; set; }
    public long ShmSizeBytes { get; set; } = 64 * 1024 * 1024;
}

/// <summary>The process to run (also used for exec).</summary>
public sealed class ProcessSpec
{
    public List<string> Args { get; set; } = new();
    public List<string> Env { get; set; } = new();
    public string Cwd { get; set; } = "/";
    public uint Uid { get; set; }
    public uint Gid { get; set; }
    public List<uint> AdditionalGids { get; set; } = new();
    public bool Terminal { get; set; }
    /// <summary>Capability names such as CAP_CHOWN; the bounding, effective, permitted and inheritable sets.</summary>
    public List<string> Capabilities { get; set; } = new();
    /// <summary>Capabilities to raise in the ambient set (kept by a non-root user across exec); null = none, as Docker does.</summary>
    public List<string>? AmbientCapabilities { get; set; }
    public bool NoNewPrivileges { get; set; } = true;
    /// <summary>Resource limits as (RLIMIT_NOFILE, soft, hard) triples by name.</summary>
    public List<RlimitSpec>? Rlimits { get; set; }
}

/// <summary>One rlimit.</summary>
public sealed class RlimitSpec
{
    public string Type { get; set; } = "";
    public ulong Soft { get; set; }
    public ulong Hard { get; set; }
}

/// <summary>The root filesystem: an overlay of read-only lower dirs (topmost first) and a writable upper, or an existing directory.</summary>
public sealed class RootfsSpec
{
    public List<string> LowerDirs { get; set; } = new();
    public string? UpperDir { get; set; }
    public string? WorkDir { get; set; }
    /// <summary>When set, this directory is bind-mounted as the root instead of an overlay.</summary>
    public string? Path { get; set; }
    public bool ReadOnly { get; set; }
}

/// <summary>A mount inside the container (OCI runtime-spec shape).</summary>
public sealed class MountSpec
{
    public string Destination { get; set; } = "";
    /// <summary>"bind", "tmpfs", "proc", "mqueue", …</summary>
    public string Type { get; set; } = "bind";
    public string Source { get; set; } = "";
    /// <summary>Mount options: ro, rw, rbind, nosuid, nodev, noexec, size=…, mode=…, rprivate, rshared, rslave, …</summary>
    public List<string> Options { get; set; } = new();
}

/// <summary>cgroup placement and limits.</summary>
public sealed class CgroupSpec
{
    /// <summary>The cgroup path below each controller root, e.g. "berth/&lt;id&gt;"; set by the engine.</summary>
    public string Path { get; set; } = "";
    public long? MemoryBytes { get; set; }
    public long? MemorySwapBytes { get; set; }
    public long? CpuQuotaMicros { get; set; }
    public long CpuPeriodMicros { get; set; } = 100_000;
    public long? CpuShares { get; set; }
    public long? PidsLimit { get; set; }
}
