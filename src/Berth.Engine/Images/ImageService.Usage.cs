using Berth.Core.EngineApi;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// Images for system df: each with the bytes it shares with other images and its container count, and the
    /// bytes of all distinct layers. Layer sizes come from the snapshot store's records, so nothing is walked.
    /// </summary>
    public (long LayersSize, List<ImageSummary> Images) Usage()
    {
        var images = List(all: true, new(), digests: true);
        var chains = new Dictionary<string, IReadOnlyList<string>>();
        var users = new Dictionary<string, int>();
        var sizes = new Dictionary<string, long>();
        foreach (var img in images)
        {
            var rec = _store.TryResolve(img.Id);
            var chain = rec?.ChainId is { } top ? _snapshots.Chain(top) : [];
            chains[img.Id] = chain;
            foreach (var layer in chain)
            {
                users[layer] = users.GetValueOrDefault(layer) + 1;
                if (!sizes.ContainsKey(layer)) sizes[layer] = SafeSize(layer);
            }
        }
        foreach (var img in images)
            img.SharedSize = chains[img.Id].Where(l => users[l] > 1).Sum(l => sizes[l]);
        return (sizes.Values.Sum(), images.ToList());
    }

    private long SafeSize(string chainId)
    {
        try { return _snapshots.GetLayer(chainId).Size; }
        catch (Core.BerthException) { return 0; }
    }
}
