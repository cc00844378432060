using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Runtime.Security;

namespace Berth.Engine.Containers;

/// <summary>Checks a create request the way Docker does before anything is made, naming the offending value.</summary>
public static class HostConfigValidator
{
    private static readonly string[] Policies = ["", "no", "always", "on-failure", "unless-stopped"];

    public static void Validate(ContainerCreateRequest req)
    {
        var hc = req.HostConfig ?? new HostConfig();
        var policy = hc.RestartPolicy ?? new RestartPolicy();
        if (!Policies.Contains(policy.Name))
            throw BerthException.Invalid($"invalid restart policy: unknown policy '{policy.Name}'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        if (policy.MaximumRetryCount < 0)
            throw BerthException.Invalid("invalid restart policy: maximum retry count can't be negative");
        if (policy.MaximumRetryCount > 0 && policy.Name != "on-failure")
            throw BerthException.Invalid($"invalid restart policy: maximum retry count can only be used with 'on-failure'");
        if (hc.AutoRemove && policy.Name is not ("" or "no"))
            throw BerthException.Invalid("can't create 'AutoRemove' container with restart policy");
        if (hc.Memory != 0 && hc.Memory < 6 * 1024 * 1024)
            throw BerthException.Invalid("Minimum memory limit allowed is 6MB");
        if (hc.MemorySwap > 0 && hc.Memory > 0 && hc.MemorySwap < hc.Memory)
            throw BerthException.Invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        if (hc.NanoCpus < 0) throw BerthException.Invalid($"invalid NanoCpus {hc.NanoCpus}: must not be negative");
        if (hc.NanoCpus > 0)
        {
            long max = Environment.ProcessorCount * 1_000_000_000L;
            if (hc.NanoCpus < 10_000_000 || hc.NanoCpus > max)
                throw BerthException.Invalid($"Range of CPUs is from 0.01 to {Environment.ProcessorCount}.00, as there are only {Environment.ProcessorCount} CPUs available");
            if (hc.CpuQuota != 0 || hc.CpuPeriod != 0)
                throw BerthException.Invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (hc.PidsLimit is < -1) throw BerthException.Invalid($"invalid PidsLimit {hc.PidsLimit}");
        if (hc.ShmSize < 0) throw BerthException.Invalid("SHM size can not be less than 0");
        foreach (var cap in (hc.CapAdd ?? new()).Concat(hc.CapDrop ?? new()))
        {
            if (cap.Equals("ALL", StringComparison.OrdinalIgnoreCase)) continue;
            if (Capabilities.Number(cap) < 0) throw BerthException.Invalid($"unknown capability: \"{cap}\"");
        }
        string net = hc.NetworkMode ?? "";
        if ((net is "none" || net.StartsWith("container:", StringComparison.Ordinal)) && (hc.PortBindings is { Count: > 0 } || hc.PublishAllPorts))
            throw BerthException.Invalid($"conflicting options: port publishing and the container type network mode");
        foreach (var opt in hc.SecurityOpt ?? new())
        {
            if (opt is "no-new-privileges" or "no-new-privileges:true" or "no-new-privileges=true" or "no-new-privileges:false" or "no-new-privileges=false"
                or "seccomp=unconfined" or "seccomp:unconfined" or "apparmor=unconfined" or "apparmor:unconfined" or "label=disable" or "label:disable")
                continue;
            throw BerthException.Invalid($"invalid --security-opt: \"{opt}\"");
        }
        if (req.Env != null)
            foreach (var e in req.Env)
                if (e.Length == 0 || e[0] == '=') throw BerthException.Invalid($"invalid environment variable: \"{e}\"");
    }
}
