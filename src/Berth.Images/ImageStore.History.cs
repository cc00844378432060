namespace Berth.Images;

/// <summary>`docker history`.</summary>
public sealed partial class ImageStore
{
    /// <summary>The image's history newest first: layer-creating steps carry their layer's size; only the top row has the image ID and tags.</summary>
    public IReadOnlyList<HistoryItem> History(string refOrId)
    {
        var image = Resolve(refOrId);
        var sizes = image.ChainId == null ? new List<long>() : Snapshots.Chain(image.ChainId).Select(c => Snapshots.GetLayer(c).Size).ToList();
        var history = image.Config.History;
        var items = new List<HistoryItem>();
        if (history == null || history.Count == 0)
        {
            foreach (var s in sizes) items.Add(new HistoryItem("<missing>", image.Created, "", s, "", Array.Empty<string>()));
        }
        else
        {
            int layer = 0;
            foreach (var h in history)
            {
                long size = 0;
                if (h.EmptyLayer != true && layer < sizes.Count) size = sizes[layer++];
                items.Add(new HistoryItem("<missing>", h.Created ?? image.Created, h.CreatedBy ?? "", size, h.Comment ?? "", Array.Empty<string>()));
            }
        }
        items.Reverse();
        if (items.Count == 0) items.Add(new HistoryItem(image.Id, image.Created, "", 0, "", image.RepoTags.ToList()));
        else items[0] = items[0] with { Id = image.Id, Tags = image.RepoTags.ToList() };
        return items;
    }
}
