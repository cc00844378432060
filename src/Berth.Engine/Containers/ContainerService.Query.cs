using System.Globalization;
using Berth.Core.EngineApi;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    public IReadOnlyList<ContainerSummary> List(bool all, int? limit, bool size, Dictionary<string, List<string>> filters)
    {
        var recs = Store.List().Where(r => all || r.State.Running || filters.ContainsKey("status") || filters.ContainsKey("exited"))
            .Where(r => ContainerFilter.Matches(r, filters, ImageIdOf, Store.TryResolve));
        if (limit is > 0) recs = recs.Take(limit.Value);
        return recs.Select(r => Summary(r, size)).ToList();
    }

    private string? ImageIdOf(string reference)
    {
        try { return _images.TryResolve(reference)?.Id; }
        catch (Core.BerthException) { return null; }
    }

    private ContainerSummary Summary(ContainerRecord r, bool size)
    {
        var s = new ContainerSummary
        {
            Id = r.Id,
            Names = ["/" + r.Name],
            Image = r.ImageName,
            ImageID = r.ImageId,
            Command = string.Join(' ', new[] { r.Path }.Concat(r.Args)),
            Created = r.Created.ToUnixTimeSeconds(),
            Labels = r.Config.Labels ?? new(),
            State = r.State.Status,
            Status = StatusText(r),
            HostConfig = new ContainerSummaryHostConfig { NetworkMode = r.HostConfig.NetworkMode },
            NetworkSettings = new ContainerSummaryNetworkSettings { Networks = NetworkView.Endpoints(r) },
            Ports = NetworkView.SummaryPorts(r),
            Mounts = MountPoints(r),
        };
        if (size)
        {
            s.SizeRw = RwSize(r);
            s.SizeRootFs = s.SizeRw + (_images.TryResolve(r.ImageId)?.Size ?? 0);
        }
        return s;
    }

    /// <summary>Docker's human status column: "Up 3 seconds", "Exited (0) 5 seconds ago", "Created".</summary>
    public static string StatusText(ContainerRecord r) => r.State.Status switch
    {
        "running" => HumanUnits.UpStatus(DateTimeOffset.UtcNow - r.State.StartedAt),
        "paused" => HumanUnits.UpStatus(DateTimeOffset.UtcNow - r.State.StartedAt, paused: true),
        "restarting" => $"Restarting ({r.State.ExitCode}) {HumanUnits.Duration(DateTimeOffset.UtcNow - r.State.FinishedAt)} ago",
        "exited" => HumanUnits.ExitedStatus(r.State.ExitCode, DateTimeOffset.UtcNow - r.State.FinishedAt),
        "removing" => "Removal In Progress",
        "dead" => "Dead",
        _ => "Created",
    };

    public ContainerInspectResponse Inspect(string idOrName, bool size)
    {
        var r = Store.Resolve(idOrName);
        var rw = TryGetRw(r.RwLayerKey);
        var res = new ContainerInspectResponse
        {
            Id = r.Id,
            Created = Rfc3339(r.Created),
            Path = r.Path,
            Args = r.Args,
            State = new ContainerState
            {
                Status = r.State.Status,
                Running = r.State.Status == "running",
                Paused = r.State.Status == "paused",
                Restarting = r.State.Status == "restarting",
                OOMKilled = r.State.OOMKilled,
                Dead = r.State.Status == "dead",
                Pid = r.State.Running ? r.State.Pid : 0,
                ExitCode = r.State.ExitCode,
                Error = r.State.Error,
                StartedAt = Rfc3339(r.State.StartedAt),
                FinishedAt = Rfc3339(r.State.FinishedAt),
            },
            Image = r.ImageId,
            ResolvConfPath = r.ResolvConfPath,
            HostnamePath = r.HostnamePath,
            HostsPath = r.HostsPath,
            LogPath = r.LogPath,
            Name = "/" + r.Name,
            RestartCount = r.RestartCount,
            Driver = "overlay2",
            Platform = "linux",
            ExecIDs = r.ExecIds.Count > 0 ? r.ExecIds : null,
            HostConfig = r.HostConfig,
            GraphDriver = new DriverData
            {
                Name = "overlay2",
                Data = rw == null ? new() : new()
                {
                    ["LowerDir"] = string.Join(':', rw.LowerDirs),
                    ["UpperDir"] = rw.UpperDir,
                    ["WorkDir"] = rw.WorkDir,
                    ["MergedDir"] = Path.Combine(StateDir(r.Id), "rootfs"),
                },
            },
            Mounts = MountPoints(r),
            Config = r.Config,
            NetworkSettings = NetworkView.Settings(r, _networks.NetnsPath(r.Id)),
        };
        if (size)
        {
            res.SizeRw = RwSize(r);
            res.SizeRootFs = res.SizeRw + (_images.TryResolve(r.ImageId)?.Size ?? 0);
        }
        return res;
    }

    /// <summary>RFC 3339 with nanoseconds as Docker prints times; the zero time for "never".</summary>
    public static string Rfc3339(DateTimeOffset t) =>
        t == default ? "0001-01-01T00:00:00Z" : t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);
}
