namespace Berth.Runtime.Cgroups;

/// <summary>Picks the cgroup driver this host needs.</summary>
public static class CgroupDriver
{
    /// <summary>Pure v2 when the root has cgroup.controllers (the unified mount); otherwise v1 (including hybrid hosts).</summary>
    public static ICgroupDriver Detect(string root = "/sys/fs/cgroup") =>
        File.Exists(Path.Combine(root, "cgroup.controllers")) ? new CgroupV2(root) : new CgroupV1(root);
}
