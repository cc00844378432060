using System.Text.Json;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Engine.Events;
using Berth.Storage;

namespace Berth.Engine.Volumes;

/// <summary>
/// Named and anonymous volumes of the local driver: a directory volumes/NAME/_data, or a filesystem mounted there
/// on first use when created with type/device/o options. Metadata lives in the DB; which containers use a volume
/// is read from their records, so nothing a container still mounts is ever removed.
/// </summary>
public sealed class VolumeService
{
    private const string Kind = "volume";
    private static readonly string[] ValidOptions = ["type", "device", "o"];
    private readonly MetadataDb _db;
    private readonly string _root;
    private readonly EventBus _events;
    private readonly Dictionary<string, VolumeRecord> _byName = new(StringComparer.Ordinal);

    public VolumeService(MetadataDb db, string volumesDir, EventBus events)
    {
        _db = db;
        _root = volumesDir;
        _events = events;
        Directory.CreateDirectory(_root);
        foreach (var (name, json) in db.List(Kind))
            if (JsonSerializer.Deserialize(json, EngineJson.Default.VolumeRecord) is { } rec) _byName[name] = rec;
    }

    /// <summary>Held while volumes are looked up for a new container and while one is removed, so a removal never races a new user.</summary>
    public Lock Sync { get; } = new();

    /// <summary>The IDs of containers (running or not) whose mounts name a volume; set by the composition root.</summary>
    public Func<string, IReadOnlyList<string>> UsersOf { get; set; } = _ => [];

    public string DataDir(string name) => Path.Combine(_root, name, "_data");

    public VolumeRecord? TryGet(string name)
    {
        lock (Sync) return _byName.GetValueOrDefault(name);
    }

    public VolumeRecord Get(string name) => TryGet(name) ?? throw BerthException.NotFound($"get {VolumeNames.Printable(name)}: no such volume");

    public IReadOnlyList<VolumeRecord> All()
    {
        lock (Sync) return _byName.Values.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Creates a volume; an existing one of the same name and driver is returned as it is, as Docker does.</summary>
    public VolumeRecord Create(string? name, string? driver, Dictionary<string, string>? options, Dictionary<string, string>? labels)
    {
        driver = string.IsNullOrEmpty(driver) ? "local" : driver;
        if (driver != "local")
            throw BerthException.NotFound($"error looking up volume plugin {driver}: plugin \"{driver}\" not found");
        name = string.IsNullOrEmpty(name) ? VolumeNames.NewAnonymous() : name;
        VolumeNames.Validate(name);
        var opts = ValidateOptions(options ?? new());
        lock (Sync)
        {
            if (_byName.TryGetValue(name, out var existing)) return existing;
            var rec = new VolumeRecord
            {
                Name = name, Driver = driver, CreatedAt = DateTimeOffset.UtcNow,
                Labels = new(labels ?? new()), Options = opts,
            };
            string dir = Path.Combine(_root, name);
            bool made = !Directory.Exists(dir);
            try
            {
                // A directory without a record (a crash between the two steps) is adopted, never emptied.
                Directory.CreateDirectory(Path.Combine(dir, "_data"));
                _db.Put(Kind, name, JsonSerializer.Serialize(rec, EngineJson.Default.VolumeRecord));
            }
            catch
            {
                if (made) TryDelete(dir);
                throw;
            }
            _byName[name] = rec;
            _events.Publish("volume", "create", name, new() { ["driver"] = driver });
            return rec;
        }
    }

    /// <summary>The host directory to bind into a container; a volume with mount options is mounted there on first use.</summary>
    public string Prepare(string name)
    {
        var rec = Get(name);
        string data = DataDir(name);
        Directory.CreateDirectory(data);
        if (rec.Options.TryGetValue("type", out var type) && !HostMounts.IsMountPoint(data))
            HostMounts.Mount(type, rec.Options.GetValueOrDefault("device", type), rec.Options.GetValueOrDefault("o", ""), data);
        return data;
    }

    /// <summary>Removes a volume; one that any container uses is refused. With force a missing volume is not an error.</summary>
    public void Remove(string name, bool force)
    {
        lock (Sync)
        {
            if (!_byName.TryGetValue(name, out var rec))
            {
                if (force) return;
                throw BerthException.NotFound($"get {VolumeNames.Printable(name)}: no such volume");
            }
            var users = UsersOf(name);
            if (users.Count > 0)
                throw BerthException.Conflict($"remove {name}: volume is in use - [{string.Join(", ", users)}]");
            string dir = Path.Combine(_root, name);
            foreach (var mp in HostMounts.At(dir)) SnapshotStore.Unmount(mp);
            // Never delete through a mount: a bind-type volume's device is the user's own directory.
            if (HostMounts.At(dir).Count > 0)
                throw BerthException.Conflict($"remove {name}: its mount at {DataDir(name)} is still busy");
            _db.Delete(Kind, name);
            _byName.Remove(name);
            TryDelete(dir);
            _events.Publish("volume", "destroy", name, new() { ["driver"] = rec.Driver });
        }
    }

    public IReadOnlyList<VolumeRecord> List(Dictionary<string, List<string>> filters)
    {
        FilterArgs.Validate(filters, "dangling", "name", "label", "driver");
        bool? dangling = filters.TryGetValue("dangling", out var d) ? ParseBool(d, "dangling") : null;
        return All().Where(v =>
            (dangling == null || (UsersOf(v.Name).Count == 0) == dangling) &&
            (!filters.TryGetValue("name", out var names) || names.Any(n => v.Name.Contains(n, StringComparison.Ordinal))) &&
            (!filters.TryGetValue("driver", out var drivers) || drivers.Contains(v.Driver)) &&
            (!filters.TryGetValue("label", out var labels) || labels.All(l => ContainerFilter.LabelMatches(v.Labels, l)))).ToList();
    }

    /// <summary>Removes unused volumes: anonymous ones only, or all of them with the filter all=true (Docker 23+).</summary>
    public VolumePruneResponse Prune(Dictionary<string, List<string>> filters)
    {
        FilterArgs.Validate(filters, "label", "label!", "all");
        bool all = filters.TryGetValue("all", out var a) && ParseBool(a, "all");
        var deleted = new List<string>();
        long reclaimed = 0;
        foreach (var v in All())
        {
            if (!all && !v.Anonymous) continue;
            if (filters.TryGetValue("label", out var labels) && !labels.All(l => ContainerFilter.LabelMatches(v.Labels, l))) continue;
            if (filters.TryGetValue("label!", out var notLabels) && notLabels.Any(l => ContainerFilter.LabelMatches(v.Labels, l))) continue;
            if (UsersOf(v.Name).Count > 0) continue;
            long size = Size(v.Name);
            try
            {
                Remove(v.Name, force: false);
                deleted.Add(v.Name);
                reclaimed += size;
            }
            catch (BerthException) { /* taken into use meanwhile */ }
        }
        _events.Publish("volume", "prune", "", new() { ["reclaimed"] = reclaimed.ToString() });
        return new VolumePruneResponse { VolumesDeleted = deleted, SpaceReclaimed = reclaimed };
    }

    /// <summary>Bytes used under the volume's data directory.</summary>
    public long Size(string name)
    {
        try { return SnapshotStore.DiskUsage(DataDir(name)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return -1; }
    }

    public Volume ToApi(VolumeRecord v, bool withUsage = false) => new()
    {
        Name = v.Name,
        Driver = v.Driver,
        Mountpoint = DataDir(v.Name),
        CreatedAt = v.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
        Labels = v.Labels,
        Options = v.Options.Count == 0 ? null : v.Options,
        Scope = "local",
        UsageData = withUsage ? new VolumeUsageData { Size = Size(v.Name), RefCount = UsersOf(v.Name).Count } : null,
    };

    private static Dictionary<string, string> ValidateOptions(Dictionary<string, string> opts)
    {
        foreach (var key in opts.Keys)
            if (!ValidOptions.Contains(key)) throw BerthException.Invalid($"invalid option key: \"{VolumeNames.Printable(key)}\"; the local driver takes type, device and o");
        if (opts.Count == 0) return new();
        if (!opts.TryGetValue("type", out var type) || type.Length == 0)
            throw BerthException.Invalid("missing required option: \"type\" (for example type=tmpfs or type=none with o=bind)");
        var o = opts.GetValueOrDefault("o", "").Split(',');
        if (o.Contains("bind") || o.Contains("rbind"))
        {
            string device = opts.GetValueOrDefault("device", "");
            if (!device.StartsWith('/')) throw BerthException.Invalid($"invalid device \"{device}\" for a bind volume: it must be an absolute host path");
            if (!Directory.Exists(device)) throw BerthException.Invalid($"failed to mount local volume: mount {device}: no such file or directory");
        }
        return new(opts);
    }

    private static bool ParseBool(List<string> values, string key)
    {
        string v = values.LastOrDefault() ?? "";
        return v.ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw BerthException.Invalid($"invalid filter '{key}={v}': expected true or false"),
        };
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
