using System.Text.Json;
using Berth.Core;
using Berth.Storage;

namespace Berth.Engine.Containers;

/// <summary>All containers, in memory and persisted as JSON documents; names are unique and resolved like Docker resolves them.</summary>
public sealed class ContainerStore
{
    private const string Kind = "container";
    private readonly MetadataDb _db;
    private readonly Dictionary<string, ContainerRecord> _byId = new();
    private readonly Dictionary<string, string> _idByName = new();
    private readonly Lock _lock = new();

    public ContainerStore(MetadataDb db)
    {
        _db = db;
        foreach (var (id, json) in db.List(Kind))
        {
            var rec = JsonSerializer.Deserialize(json, EngineJson.Default.ContainerRecord);
            if (rec == null) continue;
            _byId[rec.Id] = rec;
            _idByName[rec.Name] = rec.Id;
        }
    }

    public IReadOnlyList<ContainerRecord> List()
    {
        lock (_lock) return _byId.Values.OrderByDescending(c => c.Created).ToList();
    }

    public ContainerRecord Resolve(string idOrName) =>
        TryResolve(idOrName) ?? throw BerthException.NotFound($"No such container: {idOrName}");

    /// <summary>Full ID, then exact name (with or without the leading slash), then a unique ID prefix.</summary>
    public ContainerRecord? TryResolve(string idOrName)
    {
        if (string.IsNullOrEmpty(idOrName)) return null;
        lock (_lock)
        {
            if (_byId.TryGetValue(idOrName, out var rec)) return rec;
            string name = idOrName.TrimStart('/');
            if (_idByName.TryGetValue(name, out var id)) return _byId[id];
            ContainerRecord? match = null;
            foreach (var c in _byId.Values)
            {
                if (!c.Id.StartsWith(idOrName, StringComparison.Ordinal)) continue;
                if (match != null) throw BerthException.Invalid($"multiple IDs found with provided prefix: {idOrName}");
                match = c;
            }
            return match;
        }
    }

    /// <summary>Adds a new container, reserving its name; a name in use is a conflict and nothing is stored.</summary>
    public void Add(ContainerRecord rec)
    {
        lock (_lock)
        {
            if (_idByName.TryGetValue(rec.Name, out var other))
                throw BerthException.Conflict($"Conflict. The container name \"/{rec.Name}\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name.");
            _db.Put(Kind, rec.Id, Serialize(rec));
            _byId[rec.Id] = rec;
            _idByName[rec.Name] = rec.Id;
        }
    }

    public bool NameInUse(string name)
    {
        lock (_lock) return _idByName.ContainsKey(name);
    }

    public void Save(ContainerRecord rec)
    {
        lock (_lock)
        {
            if (!_byId.ContainsKey(rec.Id)) return; // removed meanwhile
            _db.Put(Kind, rec.Id, Serialize(rec));
        }
    }

    public void Rename(ContainerRecord rec, string newName)
    {
        lock (_lock)
        {
            if (_idByName.TryGetValue(newName, out var other) && other != rec.Id)
                throw BerthException.Conflict($"Conflict. The container name \"/{newName}\" is already in use by container \"{other}\". You have to remove (or rename) that container to be able to reuse that name.");
            string old = rec.Name;
            rec.Name = newName;
            try
            {
                _db.Put(Kind, rec.Id, Serialize(rec));
            }
            catch
            {
                rec.Name = old;
                throw;
            }
            _idByName.Remove(old);
            _idByName[newName] = rec.Id;
        }
    }

    public void Remove(ContainerRecord rec)
    {
        lock (_lock)
        {
            _db.Delete(Kind, rec.Id);
            _byId.Remove(rec.Id);
            if (_idByName.TryGetValue(rec.Name, out var id) && id == rec.Id) _idByName.Remove(rec.Name);
        }
    }

    private static string Serialize(ContainerRecord rec) => JsonSerializer.Serialize(rec, EngineJson.Default.ContainerRecord);
}
