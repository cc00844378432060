using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Creates a container: validates everything first, then makes the writable layer and config files; on failure nothing is left.</summary>
    public ContainerCreateResponse Create(ContainerCreateRequest req, string? name)
    {
        HostConfigValidator.Validate(req);
        if (string.IsNullOrEmpty(req.Image)) throw BerthException.Invalid("Config.Image: no image specified");
        var image = _images.Resolve(req.Image);
        var imageConfig = image.Config;
        var hc = req.HostConfig ?? new HostConfig();
        if (string.IsNullOrEmpty(hc.NetworkMode) || hc.NetworkMode == "default") hc.NetworkMode = "bridge";
        hc.RestartPolicy ??= new RestartPolicy { Name = "no" };
        if (hc.RestartPolicy.Name == "") hc.RestartPolicy.Name = "no";
        hc.LogConfig ??= new LogConfig { Type = "json-file", Config = new() };
        if (string.IsNullOrEmpty(hc.LogConfig.Type)) hc.LogConfig.Type = "json-file";
        if (hc.LogConfig.Type != "json-file")
            throw BerthException.Invalid($"logging driver \"{hc.LogConfig.Type}\" is not supported; Berth writes json-file logs");
        if (hc.NetworkMode.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = Store.Resolve(hc.NetworkMode["container:".Length..]);
            hc.NetworkMode = "container:" + other.Id;
        }

        var endpoints = _networks.PlanEndpoints(hc, req.NetworkingConfig, req.MacAddress);
        Networks.PortPublisher.Validate(hc);
        var plan = MountPlanner.Plan(hc, req.Volumes?.Keys, imageConfig.Config?.Volumes?.Keys, Store.Resolve);
        var cfg = CopyConfig(req);
        cfg.Image = req.Image;
        var (path, args) = SpecBuilder.Command(cfg, imageConfig.Config);

        string id = ContainerNames.NewId();
        string finalName;
        bool autoNamed = string.IsNullOrEmpty(name);
        if (!string.IsNullOrEmpty(name))
        {
            finalName = ContainerNames.Normalize(name);
            if (Store.NameInUse(finalName))
            {
                var other = Store.Resolve(finalName);
                throw BerthException.Conflict($"Conflict. The container name \"/{finalName}\" is already in use by container \"{other.Id}\". You have to remove (or rename) that container to be able to reuse that name.");
            }
        }
        else
        {
            int attempt = 0;
            do finalName = ContainerNames.Generate(attempt++); while (Store.NameInUse(finalName));
        }
        cfg.Hostname = string.IsNullOrEmpty(cfg.Hostname) ? id[..12] : cfg.Hostname;
        // Docker shows the image's values in Config when the container does not set them.
        cfg.Env = SpecBuilder.Env(imageConfig.Config?.Env, req.Env, cfg.Hostname, false).Where(e => !e.StartsWith("HOSTNAME=", StringComparison.Ordinal)).ToList();
        cfg.Cmd ??= req.Entrypoint == null ? imageConfig.Config?.Cmd : null;
        cfg.Entrypoint ??= imageConfig.Config?.Entrypoint;
        cfg.WorkingDir = string.IsNullOrEmpty(cfg.WorkingDir) ? imageConfig.Config?.WorkingDir ?? "" : cfg.WorkingDir;
        cfg.User ??= imageConfig.Config?.User ?? "";
        cfg.StopSignal ??= imageConfig.Config?.StopSignal;
        cfg.Labels = MergeLabels(imageConfig.Config?.Labels, req.Labels);
        if (imageConfig.Config?.ExposedPorts is { Count: > 0 } ports)
        {
            cfg.ExposedPorts ??= new();
            foreach (var p in ports.Keys) cfg.ExposedPorts.TryAdd(p, new EmptyObject());
        }

        string dir = ContainerDir(id);
        var rec = new ContainerRecord
        {
            Id = id,
            Name = finalName,
            Created = DateTimeOffset.UtcNow,
            ImageId = image.Id,
            ImageName = req.Image,
            Path = path,
            Args = args,
            Config = cfg,
            HostConfig = hc,
            LogPath = Path.Combine(dir, id + "-json.log"),
            HostnamePath = Path.Combine(dir, "hostname"),
            HostsPath = Path.Combine(dir, "hosts"),
            ResolvConfPath = Path.Combine(dir, "resolv.conf"),
            RwLayerKey = id,
            Networks = endpoints,
        };
        var createdVolumes = new List<string>();
        lock (Volumes.Sync)
        {
            try
            {
                rec.Mounts = RealizeMounts(plan, createdVolumes);
                Directory.CreateDirectory(dir);
                _snapshots.CreateRw(id, image.ChainId);
                CopyUpVolumes(rec);
                WriteEtcFiles(rec);
                AddWithName(rec, autoNamed);
            }
            catch
            {
                try { CleanupFiles(rec); }
                finally { RemoveVolumesQuietly(createdVolumes); }
                throw;
            }
        }
        Emit(rec, "create");
        var warnings = new List<string>();
        if (hc.NetworkMode == "host" && (hc.PortBindings is { Count: > 0 } || hc.PublishAllPorts))
            warnings.Add("Published ports are discarded when using host network mode");
        return new ContainerCreateResponse { Id = id, Warnings = warnings };
    }

    /// <summary>Stores the record; a generated name another create took in the meantime (parallel build stages) is drawn again.</summary>
    private void AddWithName(ContainerRecord rec, bool autoNamed)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                Store.Add(rec);
                return;
            }
            catch (BerthException e) when (e.Kind == ErrorKind.Conflict && autoNamed && attempt < 20)
            {
                string next;
                int n = attempt;
                do next = ContainerNames.Generate(n++); while (Store.NameInUse(next));
                rec.Name = next;
            }
        }
    }

    private void WriteEtcFiles(ContainerRecord rec)
    {
        var hc = rec.HostConfig;
        bool hostNet = hc.NetworkMode == "host";
        string hostname = hostNet ? Environment.MachineName : rec.Config.Hostname!;
        EtcFiles.WriteHostname(rec.HostnamePath, hostname);
        // --add-host NAME:host-gateway names the default bridge's gateway, an address of this host.
        var extra = hc.ExtraHosts?.Select(h => h.EndsWith(":host-gateway", StringComparison.Ordinal) ? h[..^"host-gateway".Length] + _networks.HostGateway() : h).ToList();
        if (hostNet && File.Exists("/etc/hosts")) File.Copy("/etc/hosts", rec.HostsPath, true);
        else EtcFiles.WriteHosts(rec.HostsPath, hostname, Networks.NetworkService.PrimaryEndpoint(rec)?.IpAddress, extra);
        // On bridge networks the embedded DNS server answers on the gateway: container names there, the rest forwarded.
        var dns = hc.Dns is { Count: > 0 } ? hc.Dns : rec.Networks.Count > 0 && _networks.NameserverFor(rec) is { } gw ? new List<string> { gw } : null;
        EtcFiles.WriteResolvConf(rec.ResolvConfPath, hostNet, dns, hc.DnsSearch, hc.DnsOptions);
    }

    /// <summary>Removes the writable layer and directories of a container; every step is tried even if one fails.</summary>
    private void CleanupFiles(ContainerRecord rec)
    {
        var errors = new List<string>();
        try { _snapshots.RemoveRw(rec.RwLayerKey); } catch (Exception e) { errors.Add(e.Message); }
        foreach (var d in new[] { ContainerDir(rec.Id), StateDir(rec.Id) })
        {
            try { if (Directory.Exists(d)) Directory.Delete(d, true); } catch (Exception e) { errors.Add(e.Message); }
        }
        if (errors.Count > 0) throw BerthException.Internal($"removing files of container {rec.Id}: {string.Join("; ", errors)}");
    }

    private static Dictionary<string, string>? MergeLabels(Dictionary<string, string>? image, Dictionary<string, string>? container)
    {
        if (image == null && container == null) return new();
        var all = new Dictionary<string, string>(image ?? new());
        foreach (var (k, v) in container ?? new()) all[k] = v;
        return all;
    }

    private static ContainerConfig CopyConfig(ContainerConfig c) => new()
    {
        Hostname = c.Hostname, Domainname = c.Domainname, User = c.User,
        AttachStdin = c.AttachStdin, AttachStdout = c.AttachStdout, AttachStderr = c.AttachStderr,
        ExposedPorts = c.ExposedPorts, Tty = c.Tty, OpenStdin = c.OpenStdin, StdinOnce = c.StdinOnce,
        Env = c.Env, Cmd = c.Cmd, Healthcheck = c.Healthcheck, ArgsEscaped = c.ArgsEscaped, Image = c.Image,
        Volumes = c.Volumes, WorkingDir = c.WorkingDir, Entrypoint = c.Entrypoint, NetworkDisabled = c.NetworkDisabled,
        MacAddress = c.MacAddress, OnBuild = c.OnBuild, Labels = c.Labels, StopSignal = c.StopSignal,
        StopTimeout = c.StopTimeout, Shell = c.Shell,
    };
}
