using System.Globalization;
using Berth.Core.EngineApi;

namespace Berth.Cli.Parsing;

/// <summary>Turns docker create/run flags and arguments into the ContainerCreateRequest Docker would post.</summary>
public static class CreateRequestBuilder
{
    /// <summary>Builds the request; <paramref name="args"/> is IMAGE [COMMAND] [ARG...]. Bad values throw <see cref="UsageException"/> naming them.</summary>
    public static ContainerCreateRequest Build(ParsedFlags f, IReadOnlyList<string> args, bool detach, int consoleHeight = 0, int consoleWidth = 0)
    {
        if (args.Count == 0) throw new UsageException("requires at least 1 argument", showUsage: true);
        var host = new HostConfig();
        var req = new ContainerCreateRequest { Image = args[0], HostConfig = host };
        if (args.Count > 1) req.Cmd = args.Skip(1).ToList();

        if (f.Changed("entrypoint")) req.Entrypoint = new List<string> { f.String("entrypoint")! };
        req.Hostname = f.String("hostname");
        req.Domainname = f.String("domainname");
        req.User = f.String("user");
        req.WorkingDir = f.String("workdir");
        req.MacAddress = f.String("mac-address");
        req.StopSignal = f.String("stop-signal");
        req.StopTimeout = f.Int("stop-timeout");
        req.Tty = f.Bool("tty");
        req.OpenStdin = f.Bool("interactive");

        ApplyAttach(f, req, detach);
        req.Env = Env(f);
        req.Labels = Labels(f);
        req.Healthcheck = Healthcheck(f);
        ApplyPorts(f, req, host);
        ApplyVolumes(f, req, host);

        if (f.String("memory") is { } mem) host.Memory = Units.SizeFlag(mem, "-m, --memory");
        if (f.String("memory-swap") is { } swap) host.MemorySwap = Units.SizeFlag(swap, "--memory-swap", allowMinusOne: true);
        if (f.String("memory-reservation") is { } res) host.MemoryReservation = Units.SizeFlag(res, "--memory-reservation");
        if (f.String("shm-size") is { } shm) host.ShmSize = Units.SizeFlag(shm, "--shm-size");
        if (f.Int("memory-swappiness") is { } swappiness) host.MemorySwappiness = swappiness;
        if (f.String("cpus") is { } cpus) host.NanoCpus = Units.NanoCpus(cpus);
        if (f.Int("cpu-shares") is { } shares) host.CpuShares = shares;
        if (f.Int("cpu-period") is { } period) host.CpuPeriod = period;
        if (f.Int("cpu-quota") is { } quota) host.CpuQuota = quota;
        host.CpusetCpus = f.String("cpuset-cpus");
        host.CpusetMems = f.String("cpuset-mems");
        if (f.Int("pids-limit") is { } pids) host.PidsLimit = pids;
        if (f.Int("oom-score-adj") is { } oom) host.OomScoreAdj = oom;
        if (f.Changed("oom-kill-disable")) host.OomKillDisable = f.Bool("oom-kill-disable");
        if (f.Changed("init")) host.Init = f.Bool("init");
        host.ReadonlyRootfs = f.Bool("read-only");
        host.Privileged = f.Bool("privileged");
        host.PublishAllPorts = f.Bool("publish-all");
        host.AutoRemove = f.Bool("rm");
        host.RestartPolicy = RestartPolicyParser.Parse(f.String("restart") ?? "no");
        if (host.AutoRemove && host.RestartPolicy.Name is not ("" or "no"))
            throw new UsageException("Conflicting options: cannot specify both --restart and --rm");
        host.CapAdd = NullIfEmpty(f.List("cap-add"));
        host.CapDrop = NullIfEmpty(f.List("cap-drop"));
        host.SecurityOpt = NullIfEmpty(f.List("security-opt"));
        host.Dns = NullIfEmpty(f.List("dns"));
        host.DnsOptions = NullIfEmpty(f.List("dns-option"));
        host.DnsSearch = NullIfEmpty(f.List("dns-search"));
        host.ExtraHosts = NullIfEmpty(f.List("add-host").Select(ExtraHost).ToList());
        host.GroupAdd = NullIfEmpty(f.List("group-add"));
        host.VolumesFrom = NullIfEmpty(f.List("volumes-from"));
        host.IpcMode = f.String("ipc");
        host.PidMode = f.String("pid");
        host.UTSMode = f.String("uts");
        host.UsernsMode = f.String("userns");
        host.CgroupnsMode = f.String("cgroupns");
        host.CgroupParent = f.String("cgroup-parent");
        host.Runtime = f.String("runtime");
        host.VolumeDriver = f.String("volume-driver");
        host.ContainerIDFile = f.String("cidfile");
        host.Sysctls = Map(f.List("sysctl"), "--sysctl");
        host.Annotations = Map(f.List("annotation"), "--annotation");
        host.StorageOpt = Map(f.List("storage-opt"), "--storage-opt");
        host.Ulimits = NullIfEmpty(f.List("ulimit").Select(Ulimit).ToList());
        host.Devices = NullIfEmpty(f.List("device").Select(Device).ToList());
        if (f.String("log-driver") is { } driver || f.List("log-opt").Count > 0)
            host.LogConfig = new LogConfig { Type = f.String("log-driver") ?? "", Config = Map(f.List("log-opt"), "--log-opt") };
        string network = f.String("network") ?? f.String("net") ?? "default";
        host.NetworkMode = network;
        string? ip = f.String("ip");
        if (ip != null && !System.Net.IPAddress.TryParse(ip, out _))
            throw new UsageException($"invalid argument \"{ip}\" for \"--ip\" flag: invalid IP address");
        if (f.List("network-alias").Count > 0 || ip != null || req.MacAddress != null)
            req.NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new()
                {
                    [network] = new EndpointSettings
                    {
                        Aliases = NullIfEmpty(f.List("network-alias").ToList()),
                        IPAMConfig = ip == null ? null : new EndpointIpamConfig { IPv4Address = ip },
                        MacAddress = req.MacAddress,
                    },
                },
            };
        if (req.Tty && consoleHeight > 0 && consoleWidth > 0) host.ConsoleSize = new List<int> { consoleHeight, consoleWidth };
        return req;
    }

    private static void ApplyAttach(ParsedFlags f, ContainerCreateRequest req, bool detach)
    {
        var attach = f.List("attach");
        foreach (var a in attach)
            if (a.ToLowerInvariant() is not ("stdin" or "stdout" or "stderr"))
                throw new UsageException($"invalid argument \"{a}\" for \"-a, --attach\" flag: valid streams are STDIN, STDOUT and STDERR");
        if (detach)
        {
            if (attach.Count > 0) throw new UsageException("Conflicting options: -a and -d");
            return;
        }
        if (attach.Count == 0)
        {
            req.AttachStdout = true;
            req.AttachStderr = true;
            req.AttachStdin = req.OpenStdin;
        }
        else
        {
            req.AttachStdin = attach.Any(a => a.Equals("stdin", StringComparison.OrdinalIgnoreCase));
            req.AttachStdout = attach.Any(a => a.Equals("stdout", StringComparison.OrdinalIgnoreCase));
            req.AttachStderr = attach.Any(a => a.Equals("stderr", StringComparison.OrdinalIgnoreCase));
        }
        if (req.OpenStdin && req.AttachStdin) req.StdinOnce = true;
    }

    private static List<string>? Env(ParsedFlags f)
    {
        var env = new List<string>();
        foreach (var file in f.List("env-file")) env.AddRange(KeyValueFiles.ReadEnvFile(file));
        foreach (var e in f.List("env"))
            if (KeyValueFiles.ResolveEnv(e) is { } resolved) env.Add(resolved);
        return env.Count == 0 ? null : env;
    }

    private static Dictionary<string, string>? Labels(ParsedFlags f)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in f.List("label-file"))
            foreach (var l in KeyValueFiles.ReadLabelFile(file)) AddLabel(labels, l);
        foreach (var l in f.List("label")) AddLabel(labels, l);
        return labels.Count == 0 ? null : labels;
    }

    private static void AddLabel(Dictionary<string, string> labels, string entry)
    {
        int eq = entry.IndexOf('=');
        string key = eq < 0 ? entry : entry[..eq];
        if (key.Length == 0) throw new UsageException($"invalid label '{entry}': empty name");
        labels[key] = eq < 0 ? "" : entry[(eq + 1)..];
    }

    private static HealthConfig? Healthcheck(ParsedFlags f)
    {
        if (f.Bool("no-healthcheck"))
        {
            if (f.Changed("health-cmd")) throw new UsageException("--no-healthcheck conflicts with --health-* options");
            return new HealthConfig { Test = new List<string> { "NONE" } };
        }
        bool any = f.Changed("health-cmd") || f.Changed("health-interval") || f.Changed("health-timeout") || f.Changed("health-retries")
            || f.Changed("health-start-period") || f.Changed("health-start-interval");
        if (!any) return null;
        var h = new HealthConfig();
        if (f.String("health-cmd") is { Length: > 0 } cmd) h.Test = new List<string> { "CMD-SHELL", cmd };
        if (f.String("health-interval") is { } i) h.Interval = NonNegative(Units.GoDuration(i, "--health-interval"), "--health-interval");
        if (f.String("health-timeout") is { } t) h.Timeout = NonNegative(Units.GoDuration(t, "--health-timeout"), "--health-timeout");
        if (f.String("health-start-period") is { } sp) h.StartPeriod = NonNegative(Units.GoDuration(sp, "--health-start-period"), "--health-start-period");
        if (f.String("health-start-interval") is { } si) h.StartInterval = NonNegative(Units.GoDuration(si, "--health-start-interval"), "--health-start-interval");
        if (f.Int("health-retries") is { } r)
        {
            if (r < 0) throw new UsageException("--health-retries cannot be negative");
            h.Retries = r;
        }
        return h;
    }

    private static long NonNegative(long v, string flag) => v < 0 ? throw new UsageException($"{flag} cannot be negative") : v;

    private static void ApplyPorts(ParsedFlags f, ContainerCreateRequest req, HostConfig host)
    {
        var exposed = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var e in f.List("expose"))
            foreach (var port in PortSpec.ParseExpose(e)) exposed[port] = new EmptyObject();
        var bindings = new Dictionary<string, List<PortBinding>?>(StringComparer.Ordinal);
        foreach (var p in f.List("publish"))
            foreach (var (port, binding) in PortSpec.ParsePublish(p))
            {
                exposed[port] = new EmptyObject();
                if (!bindings.TryGetValue(port, out var list) || list == null) bindings[port] = list = new List<PortBinding>();
                list.Add(binding);
            }
        if (exposed.Count > 0) req.ExposedPorts = exposed;
        if (bindings.Count > 0) host.PortBindings = bindings;
    }

    private static void ApplyVolumes(ParsedFlags f, ContainerCreateRequest req, HostConfig host)
    {
        var binds = new List<string>();
        var volumes = new Dictionary<string, EmptyObject>(StringComparer.Ordinal);
        foreach (var v in f.List("volume"))
        {
            if (v.Length == 0) throw new UsageException("invalid empty volume specification");
            // A lone container path is an anonymous volume; anything with a source is a bind (path or named volume).
            if (!v.Contains(':')) volumes[v] = new EmptyObject();
            else binds.Add(v);
        }
        if (binds.Count > 0) host.Binds = binds;
        if (volumes.Count > 0) req.Volumes = volumes;
        var mounts = f.List("mount").Select(MountSpec.Parse).ToList();
        if (mounts.Count > 0) host.Mounts = mounts;
        var tmpfs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in f.List("tmpfs"))
        {
            int colon = t.IndexOf(':');
            string path = colon < 0 ? t : t[..colon];
            if (!path.StartsWith('/')) throw new UsageException($"invalid tmpfs \"{t}\": the mount point must be an absolute path");
            tmpfs[path] = colon < 0 ? "" : t[(colon + 1)..];
        }
        if (tmpfs.Count > 0) host.Tmpfs = tmpfs;
    }

    private static string ExtraHost(string entry)
    {
        // Docker accepts host:ip and host=ip and sends host:ip.
        int sep = entry.IndexOf('=');
        if (sep < 0) sep = entry.IndexOf(':');
        if (sep <= 0 || sep == entry.Length - 1) throw new UsageException($"invalid argument \"{entry}\" for \"--add-host\" flag: bad format for add-host: \"{entry}\"");
        return entry[..sep] + ":" + entry[(sep + 1)..];
    }

    private static Dictionary<string, string>? Map(List<string> entries, string flag)
    {
        if (entries.Count == 0) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            int eq = e.IndexOf('=');
            if (eq <= 0) throw new UsageException($"invalid argument \"{e}\" for \"{flag}\" flag: expected key=value");
            map[e[..eq]] = e[(eq + 1)..];
        }
        return map;
    }

    private static Ulimit Ulimit(string entry)
    {
        int eq = entry.IndexOf('=');
        if (eq <= 0) throw new UsageException($"invalid argument \"{entry}\" for \"--ulimit\" flag: invalid ulimit argument: {entry}");
        string[] values = entry[(eq + 1)..].Split(':');
        if (values.Length > 2 || !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long soft))
            throw new UsageException($"invalid argument \"{entry}\" for \"--ulimit\" flag: invalid ulimit value: {entry[(eq + 1)..]}");
        long hard = soft;
        if (values.Length == 2 && !long.TryParse(values[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out hard))
            throw new UsageException($"invalid argument \"{entry}\" for \"--ulimit\" flag: invalid ulimit value: {entry[(eq + 1)..]}");
        if (soft > hard && hard != -1) throw new UsageException($"invalid argument \"{entry}\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}");
        return new Ulimit { Name = entry[..eq], Soft = soft, Hard = hard };
    }

    private static DeviceMapping Device(string entry)
    {
        string[] parts = entry.Split(':');
        if (parts.Length > 3 || parts[0].Length == 0) throw new UsageException($"invalid argument \"{entry}\" for \"--device\" flag: invalid device specification");
        string inContainer = parts.Length > 1 && parts[1].StartsWith('/') ? parts[1] : parts[0];
        string perms = parts.Length == 3 ? parts[2] : parts.Length == 2 && !parts[1].StartsWith('/') ? parts[1] : "rwm";
        if (perms.Any(c => c is not ('r' or 'w' or 'm'))) throw new UsageException($"invalid argument \"{entry}\" for \"--device\" flag: invalid device mode: {perms}");
        return new DeviceMapping { PathOnHost = parts[0], PathInContainer = inContainer, CgroupPermissions = perms };
    }

    private static List<T>? NullIfEmpty<T>(List<T> list) => list.Count == 0 ? null : list;
}
