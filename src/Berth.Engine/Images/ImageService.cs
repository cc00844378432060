using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Images;
using Berth.Storage;

namespace Berth.Engine.Images;

/// <summary>The image side of the Engine API: listing, inspecting, tagging, removing, and moving images in and out.</summary>
public sealed partial class ImageService
{
    private readonly ImageStore _store;
    private readonly ContentStore _content;
    private readonly SnapshotStore _snapshots;
    private readonly EventBus _events;
    private readonly ContainerService _containers;

    public ImageService(ImageStore store, ContentStore content, SnapshotStore snapshots, EventBus events, ContainerService containers)
    {
        _store = store;
        _content = content;
        _snapshots = snapshots;
        _events = events;
        _containers = containers;
    }

    public int Count => _store.List().Count;

    public IReadOnlyList<ImageSummary> List(bool all, Dictionary<string, List<string>> filters, bool digests)
    {
        FilterArgs.Validate(filters, "dangling", "reference", "label", "before", "since", "until");
        var used = _containers.Store.List().GroupBy(c => c.ImageId).ToDictionary(g => g.Key, g => g.Count());
        var result = new List<ImageSummary>();
        var stored = _store.List();
        // Build steps' images stay as the cache; like Docker, only -a lists the untagged ones that later steps grew from.
        var parents = stored.Where(i => i.Parent != null).Select(i => i.Parent!).ToHashSet();
        foreach (var img in stored)
        {
            if (!all && img.RepoTags.Count == 0 && parents.Contains(img.Id)) continue;
            if (!ImageFilter.Matches(img, filters, _store)) continue;
            result.Add(new ImageSummary
            {
                Id = img.Id,
                ParentId = img.Parent ?? "",
                RepoTags = img.RepoTags.Count > 0 ? img.RepoTags.ToList() : new(),
                RepoDigests = img.RepoDigests.ToList(),
                Created = img.Created.ToUnixTimeSeconds(),
                Size = img.Size,
                SharedSize = -1,
                Labels = img.Config.Config?.Labels ?? new(),
                Containers = used.TryGetValue(img.Id, out var n) ? n : 0,
            });
        }
        _ = digests;
        return result.OrderByDescending(i => i.Created).ToList();
    }

    public ImageInspect Inspect(string name)
    {
        var img = _store.Resolve(name);
        var cfg = img.Config;
        var rc = cfg.Config;
        return new ImageInspect
        {
            Id = img.Id,
            RepoTags = img.RepoTags.ToList(),
            RepoDigests = img.RepoDigests.ToList(),
            Parent = img.Parent ?? "",
            Comment = cfg.History?.LastOrDefault()?.Comment ?? "",
            Created = cfg.Created is { } c ? ContainerService.Rfc3339(c) : "",
            DockerVersion = "",
            Author = cfg.Author ?? "",
            Config = rc == null ? null : new ImageConfig
            {
                User = rc.User ?? "",
                ExposedPorts = rc.ExposedPorts?.ToDictionary(p => p.Key, _ => new EmptyObject()),
                Env = rc.Env,
                Cmd = rc.Cmd,
                Entrypoint = rc.Entrypoint,
                Volumes = rc.Volumes?.ToDictionary(p => p.Key, _ => new EmptyObject()),
                WorkingDir = rc.WorkingDir ?? "",
                Labels = rc.Labels,
                StopSignal = rc.StopSignal,
                OnBuild = rc.OnBuild,
                Shell = rc.Shell,
                ArgsEscaped = rc.ArgsEscaped,
                Healthcheck = rc.Healthcheck == null ? null : new HealthConfig
                {
                    Test = rc.Healthcheck.Test,
                    Interval = rc.Healthcheck.Interval,
                    Timeout = rc.Healthcheck.Timeout,
                    Retries = rc.Healthcheck.Retries,
                    StartPeriod = rc.Healthcheck.StartPeriod,
                    StartInterval = rc.Healthcheck.StartInterval,
                },
            },
            Architecture = cfg.Architecture,
            Variant = cfg.Variant,
            Os = cfg.Os,
            Size = img.Size,
            GraphDriver = new DriverData { Name = "overlay2", Data = new() { ["LowerDir"] = string.Join(':', _store.LowerDirs(img)) } },
            RootFS = new ImageRootFs { Type = "layers", Layers = cfg.RootFs.DiffIds.ToList() },
            Metadata = new ImageMetadata { LastTagTime = "0001-01-01T00:00:00Z" },
        };
    }

    public IReadOnlyList<HistoryResponseItem> History(string name) =>
        _store.History(name).Select(h => new HistoryResponseItem
        {
            Id = h.Id,
            Created = h.Created.ToUnixTimeSeconds(),
            CreatedBy = h.CreatedBy,
            Size = h.Size,
            Comment = h.Comment,
            Tags = h.Tags.Count > 0 ? h.Tags.ToList() : null,
        }).ToList();

    public void Tag(string source, string repo, string? tag)
    {
        var img = _store.Resolve(source);
        if (!ImageReference.TryParse(repo, defaultTag: false, out var r, out var error) || r!.Digest != null)
            throw BerthException.Invalid($"invalid reference format: repository name \"{repo}\": {error}");
        string target = r.FamiliarRepository + ":" + (string.IsNullOrEmpty(tag) ? r.Tag ?? "latest" : tag);
        _store.Tag(img.Id, target);
        _events.Publish("image", "tag", img.Id, new() { ["name"] = target });
    }
}
