namespace Berth.Images;

/// <summary>What an image prune removed and how many bytes it freed.</summary>
public sealed record ImagePruneResult(IReadOnlyList<ImageDeleteResult> Deleted, long SpaceReclaimed);
