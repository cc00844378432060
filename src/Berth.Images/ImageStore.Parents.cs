namespace Berth.Images;

/// <summary>The parent chain of built images: a build's untagged step images go with the last image that needs them.</summary>
public sealed partial class ImageStore
{
    /// <summary>
    /// Docker's classic pruning of parents: once <paramref name="deleted"/> is gone, its untagged parent goes too, and so on up
    /// the chain, stopping at the first parent that has a name, another child, or a container. Call under the gate.
    /// </summary>
    private long DeleteUntaggedParents(ImageRecord deleted, Func<string, ContainerUse?> containerUsing, List<ImageDeleteResult> results)
    {
        long freed = 0;
        string? parentId = deleted.Parent;
        while (!string.IsNullOrEmpty(parentId) && TryResolve(parentId, out bool byId) is { } parent && byId)
        {
            if (parent.RepoTags.Count + parent.RepoDigests.Count > 0 || containerUsing(parent.Id) != null) break;
            if (List().Any(i => i.Parent == parent.Id)) break;
            Db.InTransaction(db => db.Delete(Kind, parent.Id));
            results.Add(ImageDeleteResult.OfDeleted(parent.Id));
            freed += CollectGarbage(parent, results);
            parentId = parent.Parent;
        }
        return freed;
    }

    /// <summary>Images that no other image names as its parent (Docker's "heads"): only these are pruned; parents follow them.</summary>
    private List<ImageRecord> Heads()
    {
        var images = List();
        var parents = images.Where(i => !string.IsNullOrEmpty(i.Parent)).Select(i => i.Parent!).ToHashSet(StringComparer.Ordinal);
        return images.Where(i => !parents.Contains(i.Id)).ToList();
    }
}
