namespace Berth.Distribution;

/// <summary>What a /v2 request path addresses.</summary>
internal enum RouteKind
{
    Base,
    Catalog,
    Blob,
    UploadStart,
    Upload,
    Manifest,
    TagsList,
    Referrers,
}

/// <summary>
/// A parsed /v2 request path. Repository names contain slashes, so the path is parsed from its end
/// (the trailing <c>blobs/…</c>, <c>manifests/…</c>, <c>tags/list</c> …) rather than by route templates.
/// </summary>
internal sealed record RegistryRoute(RouteKind Kind, string Name, string Argument)
{
    /// <summary>Parses the raw (undecoded, unnormalised) path; null when it is no registry endpoint.</summary>
    public static RegistryRoute? Parse(string rawPath)
    {
        if (rawPath is "/v2" or "/v2/") return new(RouteKind.Base, "", "");
        if (!rawPath.StartsWith("/v2/", StringComparison.Ordinal)) return null;
        string rest = rawPath[4..];
        if (rest is "_catalog" or "_catalog/") return new(RouteKind.Catalog, "", "");
        if (rest.EndsWith("/blobs/uploads/", StringComparison.Ordinal) || rest.EndsWith("/blobs/uploads", StringComparison.Ordinal))
            return new(RouteKind.UploadStart, rest[..rest.LastIndexOf("/blobs/uploads", StringComparison.Ordinal)], "");
        if (rest.EndsWith("/tags/list", StringComparison.Ordinal))
            return new(RouteKind.TagsList, rest[..^"/tags/list".Length], "");
        int last = rest.LastIndexOf('/');
        if (last <= 0) return null;
        string arg = rest[(last + 1)..];
        string head = rest[..last];
        int prev = head.LastIndexOf('/');
        if (prev <= 0) return null;
        string keyword = head[(prev + 1)..];
        string name = head[..prev];
        switch (keyword)
        {
            case "blobs": return new(RouteKind.Blob, name, arg);
            case "manifests": return new(RouteKind.Manifest, name, arg);
            case "referrers": return new(RouteKind.Referrers, name, arg);
            case "uploads" when name.EndsWith("/blobs", StringComparison.Ordinal):
                return new(RouteKind.Upload, name[..^"/blobs".Length], arg);
            default: return null;
        }
    }
}
