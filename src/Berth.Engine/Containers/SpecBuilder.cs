using Berth.Core;
using Berth.Core.Oci;
using Berth.Runtime.Security;
using Berth.Runtime.Spec;

namespace Berth.Engine.Containers;

/// <summary>Turns a container record and its image config into the runtime's <see cref="ContainerSpec"/>.</summary>
public static class SpecBuilder
{
    public const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Entrypoint + Cmd as Docker combines them; the container's values win over the image's.</summary>
    public static (string Path, List<string> Args) Command(Core.EngineApi.ContainerConfig config, ContainerRunConfig? image)
    {
        List<string> entrypoint, cmd;
        if (config.Entrypoint != null)
        {
            entrypoint = config.Entrypoint.Count == 1 && config.Entrypoint[0] == "" ? new() : config.Entrypoint;
            cmd = config.Cmd ?? new();
        }
        else
        {
            entrypoint = image?.Entrypoint ?? new();
            cmd = config.Cmd ?? image?.Cmd ?? new();
        }
        var all = entrypoint.Concat(cmd).ToList();
        if (all.Count == 0) throw BerthException.Invalid("no command specified");
        return (all[0], all.Skip(1).ToList());
    }

    /// <summary>The image's env, overridden key by key by the container's, with PATH defaulted.</summary>
    public static List<string> Env(IEnumerable<string>? imageEnv, IEnumerable<string>? containerEnv, string hostname, bool tty)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>();
        void Add(string kv)
        {
            int eq = kv.IndexOf('=');
            string key = eq < 0 ? kv : kv[..eq];
            if (eq < 0) return; // "-e NAME" without a value and not set on the client: dropped, as Docker does
            if (!values.ContainsKey(key)) order.Add(key);
            values[key] = kv;
        }
        Add(DefaultPath);
        Add("HOSTNAME=" + hostname);
        if (tty) Add("TERM=xterm");
        foreach (var e in imageEnv ?? []) Add(e);
        foreach (var e in containerEnv ?? []) Add(e);
        return order.Select(k => values[k]).ToList();
    }

    public static ContainerSpec Build(ContainerRecord rec, ImageConfigFile image, LayeredRootfs rootfs, string upper, string work, IReadOnlyList<string> lowers, string? netnsPath, string cgroupPath, IReadOnlyList<MountSpec> mounts)
    {
        var cfg = rec.Config;
        var hc = rec.HostConfig;
        var user = UserSpec.Resolve(cfg.User ?? image.Config?.User, rootfs, hc.GroupAdd);
        var caps = hc.Privileged
            ? Capabilities.Privileged().ToList()
            : Capabilities.Adjust(Capabilities.DockerDefault, hc.CapAdd ?? new(), hc.CapDrop ?? new());
        var env = Env(image.Config?.Env, cfg.Env, cfg.Hostname ?? rec.Id[..12], cfg.Tty);
        if (!env.Any(e => e.StartsWith("HOME=", StringComparison.Ordinal))) env.Add("HOME=" + (string.IsNullOrEmpty(user.Home) ? "/" : user.Home));
        bool noNewPrivs = !(hc.SecurityOpt ?? new()).Any(o => o is "no-new-privileges:false" or "no-new-privileges=false");
        bool seccomp = !hc.Privileged && !(hc.SecurityOpt ?? new()).Any(o => o.StartsWith("seccomp", StringComparison.Ordinal) && o.EndsWith("unconfined", StringComparison.Ordinal));
        string net = hc.NetworkMode ?? "";
        string network = net == "host" ? "host" : netnsPath != null ? "ns:" + netnsPath : "none";

        var spec = new ContainerSpec
        {
            Id = rec.Id,
            Hostname = net == "host" ? Environment.MachineName : (cfg.Hostname ?? rec.Id[..12]),
            Domainname = cfg.Domainname,
            Network = network,
            Privileged = hc.Privileged,
            Init = hc.Init == true,
            Seccomp = seccomp,
            MaskedPaths = hc.MaskedPaths,
            ReadonlyPaths = hc.ReadonlyPaths,
            Sysctls = hc.Sysctls,
            ShmSizeBytes = hc.ShmSize > 0 ? hc.ShmSize : 64 * 1024 * 1024,
            Rootfs = new RootfsSpec { LowerDirs = lowers.ToList(), UpperDir = upper, WorkDir = work, ReadOnly = hc.ReadonlyRootfs },
            Process = new ProcessSpec
            {
                Args = new List<string> { rec.Path }.Concat(rec.Args).ToList(),
                Env = env,
                Cwd = string.IsNullOrEmpty(cfg.WorkingDir) ? (string.IsNullOrEmpty(image.Config?.WorkingDir) ? "/" : image.Config!.WorkingDir!) : cfg.WorkingDir!,
                Uid = user.Uid,
                Gid = user.Gid,
                AdditionalGids = user.Groups,
                Terminal = cfg.Tty,
                Capabilities = caps,
                NoNewPrivileges = noNewPrivs,
                Rlimits = hc.Ulimits?.Select(u => new RlimitSpec { Type = "RLIMIT_" + u.Name.ToUpperInvariant(), Soft = (ulong)u.Soft, Hard = (ulong)u.Hard }).ToList(),
            },
            Cgroup = new CgroupSpec
            {
                Path = cgroupPath,
                MemoryBytes = hc.Memory > 0 ? hc.Memory : null,
                MemorySwapBytes = hc.MemorySwap != 0 ? hc.MemorySwap : null,
                CpuQuotaMicros = hc.NanoCpus > 0 ? hc.NanoCpus / 10_000 : hc.CpuQuota > 0 ? hc.CpuQuota : null,
                CpuPeriodMicros = hc.NanoCpus > 0 ? 100_000 : hc.CpuPeriod > 0 ? hc.CpuPeriod : 100_000,
                CpuShares = hc.CpuShares > 0 ? hc.CpuShares : null,
                PidsLimit = hc.PidsLimit is > 0 ? hc.PidsLimit : null,
            },
        };
        // A user's own mount on one of these files replaces the generated one, as in Docker.
        foreach (var (dest, source) in new[] { ("/etc/resolv.conf", rec.ResolvConfPath), ("/etc/hostname", rec.HostnamePath), ("/etc/hosts", rec.HostsPath) })
            if (!mounts.Any(m => m.Destination == dest))
                spec.Mounts.Add(new MountSpec { Destination = dest, Type = "bind", Source = source, Options = { "rbind", "rprivate" } });
        spec.Mounts.AddRange(mounts);
        return spec;
    }
}
