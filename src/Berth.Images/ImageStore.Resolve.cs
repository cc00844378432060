using Berth.Core;

namespace Berth.Images;

/// <summary>Finding images by ID, ID prefix, name, name:tag or name@digest.</summary>
public sealed partial class ImageStore
{
    /// <summary>Resolves a reference or ID as Docker does; throws NotFound "No such image: X".</summary>
    public ImageRecord Resolve(string refOrId) =>
        TryResolve(refOrId) ?? throw BerthException.NotFound($"No such image: {refOrId}");

    public ImageRecord? TryResolve(string refOrId) => TryResolve(refOrId, out _);

    /// <summary>As <see cref="TryResolve(string)"/>; <paramref name="byId"/> tells whether the text named the image by ID (or prefix).</summary>
    public ImageRecord? TryResolve(string refOrId, out bool byId)
    {
        byId = false;
        if (string.IsNullOrEmpty(refOrId)) return null;
        string hex = refOrId.StartsWith("sha256:", StringComparison.Ordinal) ? refOrId[7..] : refOrId;
        if (Digest.IsHex64(hex) && Get("sha256:" + hex) is { } exact)
        {
            byId = true;
            return exact;
        }
        if (!refOrId.StartsWith("sha256:", StringComparison.Ordinal) && FindByName(refOrId) is { } named) return named;
        if (hex.Length is > 0 and < 64 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            var matches = List().Where(i => i.Id.AsSpan(7).StartsWith(hex, StringComparison.Ordinal)).ToList();
            if (matches.Count == 1)
            {
                byId = true;
                return matches[0];
            }
            if (matches.Count > 1)
                throw BerthException.Invalid($"ambiguous image ID prefix \"{refOrId}\": matches {matches.Count} images");
        }
        return null;
    }

    /// <summary>The familiar string Docker prints for <paramref name="refOrId"/> used as a name ("busybox" → "busybox:latest").</summary>
    public static string? FamiliarName(string refOrId) =>
        ImageReference.TryParse(refOrId, defaultTag: true, out var r, out _) ? r!.FamiliarName : null;

    private ImageRecord? FindByName(string text)
    {
        if (!ImageReference.TryParse(text, defaultTag: true, out var r, out _)) return null;
        var images = List();
        if (r!.Digest is { } digest)
        {
            string wanted = r.FamiliarRepository + "@" + digest;
            return images.FirstOrDefault(i => i.RepoDigests.Contains(wanted))
                ?? images.FirstOrDefault(i => i.ManifestDigest == digest.ToString() &&
                    i.RepoTags.Concat(i.RepoDigests).Any(n => RepositoryOf(n) == r.FamiliarRepository));
        }
        string tag = r.FamiliarName;
        return images.FirstOrDefault(i => i.RepoTags.Contains(tag));
    }

    /// <summary>"busybox" from "busybox:latest" or "busybox@sha256:…" (registry ports kept).</summary>
    internal static string RepositoryOf(string familiar)
    {
        int at = familiar.IndexOf('@');
        if (at >= 0) return familiar[..at];
        int colon = familiar.LastIndexOf(':');
        return colon > familiar.LastIndexOf('/') ? familiar[..colon] : familiar;
    }
}
