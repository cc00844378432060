using Berth.Core;

namespace Berth.Images;

/// <summary>rmi and prune with Docker's semantics.</summary>
public sealed partial class ImageStore
{
    /// <summary>
    /// Removes a reference or an image as `docker rmi` does. A name with other references only untags; an ID with several tags
    /// needs <paramref name="force"/>; an image used by a container is a conflict (a running one even with force).
    /// <paramref name="containerUsing"/> returns a container using the given image ID, or null. Unless <paramref name="noPrune"/>,
    /// the deleted image's untagged parents (a build's step images) that nothing else needs are deleted with it.
    /// </summary>
    public IReadOnlyList<ImageDeleteResult> Delete(string refOrId, bool force, bool noPrune, Func<string, ContainerUse?> containerUsing)
    {
        var results = new List<ImageDeleteResult>();
        lock (_gate)
        {
            var image = TryResolve(refOrId, out bool byId) ?? throw BerthException.NotFound($"No such image: {refOrId}");
            var refs = image.RepoTags.Concat(image.RepoDigests).ToList();
            bool removedRepositoryRef = false;
            if (!byId)
            {
                var r = ImageReference.Parse(refOrId, defaultTag: true);
                string named = r.Digest != null ? r.FamiliarRepository + "@" + r.Digest : r.FamiliarName;
                if (!force && IsSingleReference(refs) && containerUsing(image.Id) is { } user)
                    throw BerthException.Conflict($"conflict: unable to remove repository reference \"{refOrId}\" (must force) - container {Short(user.ContainerId)} is using its referenced image {Short(image.Id)}");
                if (!image.RepoTags.Remove(named) && !image.RepoDigests.Remove(named))
                    named = image.RepoDigests.FirstOrDefault(d => d.EndsWith("@" + r.Digest, StringComparison.Ordinal) && RepositoryOf(d) == r.FamiliarRepository) is { } d2 && image.RepoDigests.Remove(d2) ? d2 : named;
                results.Add(ImageDeleteResult.OfUntagged(named));
                if (r.Digest == null && !image.RepoTags.Any(t => RepositoryOf(t) == r.FamiliarRepository))
                {
                    // Digest references of a repository go with its last tag.
                    foreach (var d in image.RepoDigests.Where(d => RepositoryOf(d) == r.FamiliarRepository).ToList())
                    {
                        image.RepoDigests.Remove(d);
                        results.Add(ImageDeleteResult.OfUntagged(d));
                    }
                }
                Db.InTransaction(db => Put(db, image));
                if (image.RepoTags.Count + image.RepoDigests.Count > 0) return results;
                removedRepositoryRef = true;
            }
            else if (IsSingleReference(refs))
            {
                CheckConflicts(image, force, containerUsing);
                UntagAll(image, results);
            }
            DeleteImage(image, force, removedRepositoryRef, !noPrune, containerUsing, results);
        }
        return results;
    }

    /// <summary>
    /// Removes dangling images (or, with <paramref name="all"/>, every image no container uses). As in Docker, only images
    /// without children are candidates, and each takes its untagged parents along; an untagged parent of a kept image stays
    /// (it is that image's build cache). With <paramref name="all"/>, parents left childless are taken in later rounds.
    /// </summary>
    public ImagePruneResult Prune(bool all, Func<string, ContainerUse?> containerUsing)
    {
        var results = new List<ImageDeleteResult>();
        long reclaimed = 0;
        lock (_gate)
        {
            var skipped = new HashSet<string>(StringComparer.Ordinal);
            bool more = true;
            while (more)
            {
                more = false;
                foreach (var image in Heads())
                {
                    if ((!all && image.RepoTags.Count > 0) || skipped.Contains(image.Id)) continue;
                    if (containerUsing(image.Id) != null)
                    {
                        skipped.Add(image.Id);
                        continue;
                    }
                    UntagAll(image, results);
                    reclaimed += DeleteImage(image, force: true, quiet: false, prune: true, containerUsing, results);
                    more = all;
                }
            }
        }
        return new ImagePruneResult(results, reclaimed);
    }

    private static bool IsSingleReference(List<string> refs) =>
        refs.Count(r => !r.Contains('@')) <= 1 && refs.Select(RepositoryOf).Distinct().Count() <= 1;

    private static void CheckConflicts(ImageRecord image, bool force, Func<string, ContainerUse?> containerUsing)
    {
        if (containerUsing(image.Id) is not { } user) return;
        if (user.Running)
            throw BerthException.Conflict($"conflict: unable to delete {Short(image.Id)} (cannot be forced) - image is being used by running container {Short(user.ContainerId)}");
        if (!force)
            throw BerthException.Conflict($"conflict: unable to delete {Short(image.Id)} (must be forced) - image is being used by stopped container {Short(user.ContainerId)}");
    }

    private void UntagAll(ImageRecord image, List<ImageDeleteResult> results)
    {
        foreach (var t in image.RepoTags.Concat(image.RepoDigests)) results.Add(ImageDeleteResult.OfUntagged(t));
        image.RepoTags.Clear();
        image.RepoDigests.Clear();
        Db.InTransaction(db => Put(db, image));
    }

    /// <summary>Deletes the image record and whatever layers and blobs no other image or container needs; returns bytes freed.</summary>
    private long DeleteImage(ImageRecord image, bool force, bool quiet, bool prune, Func<string, ContainerUse?> containerUsing, List<ImageDeleteResult> results)
    {
        var user = containerUsing(image.Id);
        if (user != null && (user.Running || !force))
        {
            if (quiet) return 0; // the last name was removed; the image stays, dangling, for its container
            CheckConflicts(image, force, containerUsing);
        }
        if (image.RepoTags.Count + image.RepoDigests.Count > 0)
        {
            if (!force)
                throw BerthException.Conflict($"conflict: unable to delete {Short(image.Id)} (must be forced) - image is referenced in multiple repositories");
            UntagAll(image, results);
        }
        Db.InTransaction(db => db.Delete(Kind, image.Id));
        results.Add(ImageDeleteResult.OfDeleted(image.Id));
        if (user != null) return 0; // a forced delete keeps the layers the container's writable layer sits on
        long freed = CollectGarbage(image, results);
        return prune ? freed + DeleteUntaggedParents(image, containerUsing, results) : freed;
    }

    private long CollectGarbage(ImageRecord deleted, List<ImageDeleteResult> results)
    {
        var (keepChains, keepBlobs) = InUse();
        long freed = 0;
        if (deleted.ChainId != null && Snapshots.HasLayer(deleted.ChainId))
        {
            foreach (var chain in Snapshots.Chain(deleted.ChainId).Reverse())
            {
                if (keepChains.Contains(chain)) continue;
                freed += Berth.Storage.SnapshotStore.DiskUsage(Snapshots.LayerFsDir(chain));
                Snapshots.RemoveLayer(chain);
                results.Add(ImageDeleteResult.OfDeleted(chain));
            }
        }
        foreach (var blob in BlobsOf(deleted))
            if (!keepBlobs.Contains(blob)) Content.Delete(Digest.Parse(blob));
        return freed;
    }

    /// <summary>The snapshots and blobs some image or container still needs; call under the gate.</summary>
    private (HashSet<string> Chains, HashSet<string> Blobs) InUse()
    {
        var keepChains = new HashSet<string>(StringComparer.Ordinal);
        var keepBlobs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var img in List())
        {
            if (img.ChainId != null) keepChains.UnionWith(Snapshots.Chain(img.ChainId));
            keepBlobs.UnionWith(BlobsOf(img));
        }
        foreach (var c in Snapshots.ChainsUsedByRw()) if (Snapshots.HasLayer(c)) keepChains.UnionWith(Snapshots.Chain(c));
        return (keepChains, keepBlobs);
    }

    private List<string> BlobsOf(ImageRecord image)
    {
        var blobs = new List<string> { image.Id };
        if (Digest.TryParse(image.ManifestDigest, out var md) && Content.Has(md))
        {
            blobs.Add(image.ManifestDigest);
            blobs.AddRange(ReadManifest(md).Layers.Select(l => l.Digest));
        }
        return blobs;
    }

    internal static string Short(string id) => (id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id) is { Length: > 12 } h ? h[..12] : id;
}
