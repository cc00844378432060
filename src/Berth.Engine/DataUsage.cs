using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Engine;

/// <summary>GET /system/df: what images, containers, volumes and the build cache take on disk.</summary>
public static class DataUsage
{
    private static readonly string[] Types = ["image", "container", "volume", "build-cache"];

    /// <summary>Computes the asked-for parts (all when <paramref name="types"/> is empty); directory walks run in parallel.</summary>
    public static SystemDataUsageResponse Compute(BerthEngine engine, IReadOnlyCollection<string> types)
    {
        foreach (var t in types)
            if (!Types.Contains(t)) throw BerthException.Invalid($"unknown object type \"{t}\": use image, container, volume or build-cache");
        bool Want(string t) => types.Count == 0 || types.Contains(t);
        var res = new SystemDataUsageResponse();
        var work = new List<Action>();
        if (Want("image"))
            work.Add(() => (res.LayersSize, res.Images) = engine.Images.Usage());
        if (Want("container"))
            work.Add(() => res.Containers = engine.Containers.List(all: true, limit: null, size: true, new()).ToList());
        if (Want("volume"))
            work.Add(() => res.Volumes = engine.Volumes.All().AsParallel().AsOrdered().Select(v => engine.Volumes.ToApi(v, withUsage: true)).ToList());
        if (Want("build-cache"))
            work.Add(() => res.BuildCache = engine.Builder.CacheUsage());
        Parallel.Invoke(work.ToArray());
        return res;
    }
}
