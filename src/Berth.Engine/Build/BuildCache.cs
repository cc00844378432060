using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Build.Planning;
using Berth.Images;
using Berth.Storage;

namespace Berth.Engine.Build;

/// <summary>Step results by cache key (in the metadata DB), and each named step's last key to explain misses.</summary>
public sealed class BuildCache
{
    private const string CacheKind = "buildcache";
    private const string StepKind = "buildstep";
    private const int MaxRecordedFiles = 5000;
    private readonly MetadataDb _db;
    private readonly ImageStore _images;

    public BuildCache(MetadataDb db, ImageStore images)
    {
        _db = db;
        _images = images;
    }

    /// <summary>The image a step with this key made before, if it still exists.</summary>
    public ImageRecord? Lookup(CacheKey key)
    {
        string? json = _db.Get(CacheKind, key.Digest);
        if (json == null) return null;
        var rec = JsonSerializer.Deserialize(json, BuildJson.Default.BuildCacheRecord);
        return rec == null ? null : _images.TryResolve(rec.Image);
    }

    public void Store(CacheKey key, string imageId) =>
        _db.Put(CacheKind, key.Digest, JsonSerializer.Serialize(new BuildCacheRecord { Image = imageId }, BuildJson.Default.BuildCacheRecord));

    /// <summary>The key and files a step had in the last build of <paramref name="stepName"/>.</summary>
    public (CacheKey? Key, IReadOnlyDictionary<string, string>? Files) Last(string stepName)
    {
        string? json = _db.Get(StepKind, StepId(stepName));
        var rec = json == null ? null : JsonSerializer.Deserialize(json, BuildJson.Default.BuildStepRecord);
        if (rec == null) return (null, null);
        return (new CacheKey(rec.Parent, rec.Instruction, rec.Args.ToList(), rec.Content), rec.Files);
    }

    public void RecordLast(string stepName, CacheKey key, IReadOnlyDictionary<string, string>? files)
    {
        var rec = new BuildStepRecord
        {
            Parent = key.ParentId, Instruction = key.Instruction, Content = key.ContentDigest,
            Args = key.Args.ToDictionary(a => a.Key, a => a.Value),
            Files = files != null && files.Count <= MaxRecordedFiles ? files.ToDictionary(f => f.Key, f => f.Value) : null,
        };
        _db.Put(StepKind, StepId(stepName), JsonSerializer.Serialize(rec, BuildJson.Default.BuildStepRecord));
    }

    private static string StepId(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
}
