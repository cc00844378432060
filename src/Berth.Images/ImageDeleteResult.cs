namespace Berth.Images;

/// <summary>One line of an rmi/prune answer: a reference that was untagged or an image/layer ID that was deleted.</summary>
public sealed record ImageDeleteResult(string? Untagged, string? Deleted)
{
    public static ImageDeleteResult OfUntagged(string reference) => new(reference, null);
    public static ImageDeleteResult OfDeleted(string id) => new(null, id);
}
