using Berth.Core.EngineApi;
using Berth.Images;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    private ContainerUse? ContainerUsing(string imageId)
    {
        var recs = _containers.Store.List().Where(c => c.ImageId == imageId).ToList();
        if (recs.Count == 0) return null;
        var running = recs.FirstOrDefault(c => c.State.Running);
        return running != null ? new ContainerUse(running.Id, true) : new ContainerUse(recs[0].Id, false);
    }

    public IReadOnlyList<ImageDeleteResponseItem> Delete(string name, bool force, bool noPrune)
    {
        var results = _store.Delete(name, force, noPrune, ContainerUsing);
        foreach (var r in results)
        {
            if (r.Untagged != null) _events.Publish("image", "untag", r.Untagged, new() { ["name"] = r.Untagged });
            if (r.Deleted != null) _events.Publish("image", "delete", r.Deleted, new() { ["name"] = r.Deleted });
        }
        return results.Select(r => new ImageDeleteResponseItem { Untagged = r.Untagged, Deleted = r.Deleted }).ToList();
    }

    public ImagePruneResponse Prune(Dictionary<string, List<string>> filters)
    {
        FilterArgs.Validate(filters, "dangling", "until", "label", "label!");
        bool all = filters.TryGetValue("dangling", out var d) && d.Any(v => v is "false" or "0");
        var res = _store.Prune(all, ContainerUsing);
        _events.Publish("image", "prune", "", new() { ["reclaimed"] = res.SpaceReclaimed.ToString() });
        return new ImagePruneResponse
        {
            ImagesDeleted = res.Deleted.Select(r => new ImageDeleteResponseItem { Untagged = r.Untagged, Deleted = r.Deleted }).ToList(),
            SpaceReclaimed = res.SpaceReclaimed,
        };
    }
}
