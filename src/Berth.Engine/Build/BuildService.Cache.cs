using Berth.Core.EngineApi;

namespace Berth.Engine.Build;

public sealed partial class BuildService
{
    /// <summary>The RUN --mount=type=cache directories as system df's build cache records.</summary>
    public List<Core.EngineApi.BuildCacheRecord> CacheUsage() =>
        CacheMounts.List(Paths.Root).Select(c =>
        {
            var info = new DirectoryInfo(c.Dir);
            return new Core.EngineApi.BuildCacheRecord
            {
                ID = info.Name, Type = "exec.cachemount", Description = "cache mount of RUN --mount=type=cache",
                InUse = c.InUse, Shared = true, Size = Storage.SnapshotStore.DiskUsage(c.Dir),
                CreatedAt = info.CreationTimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), LastUsedAt = info.LastWriteTimeUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            };
        }).ToList();

    /// <summary>POST /build/prune: the cache mounts no build is using.</summary>
    public BuildCachePruneResponse PruneCache()
    {
        var (deleted, reclaimed) = CacheMounts.Prune(Paths.Root);
        return new BuildCachePruneResponse { CachesDeleted = deleted, SpaceReclaimed = reclaimed };
    }
}
