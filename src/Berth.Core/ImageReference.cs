using System.Text.RegularExpressions;

namespace Berth.Core;

/// <summary>
/// A parsed image reference (<c>[registry/]path[:tag][@digest]</c>) normalized the way Docker does:
/// <c>busybox</c> is <c>docker.io/library/busybox:latest</c>.
/// </summary>
public sealed partial class ImageReference
{
    public const string DefaultRegistry = "docker.io";
    public const string DefaultTag = "latest";

    private ImageReference(string registry, string path, string? tag, Digest? digest)
    {
        Registry = registry;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host[:port], e.g. <c>docker.io</c> or <c>localhost:5000</c>.</summary>
    public string Registry { get; }

    /// <summary>Repository path inside the registry, e.g. <c>library/busybox</c>.</summary>
    public string Path { get; }

    /// <summary>The tag, or null when only a digest was given.</summary>
    public string? Tag { get; }

    public Digest? Digest { get; }

    /// <summary>Fully qualified repository: <c>docker.io/library/busybox</c>.</summary>
    public string Repository => Registry + "/" + Path;

    /// <summary>The repository as Docker shows it: <c>busybox</c>, <c>user/app</c>, <c>localhost:5000/app</c>.</summary>
    public string FamiliarRepository =>
        Registry == DefaultRegistry ? (Path.StartsWith("library/", StringComparison.Ordinal) && Path.IndexOf('/', 8) < 0 ? Path[8..] : Path) : Repository;

    /// <summary><c>busybox:latest</c>, or <c>busybox@sha256:…</c> when there is no tag.</summary>
    public string FamiliarName => FamiliarRepository + (Tag != null ? ":" + Tag : Digest != null ? "@" + Digest : "");

    public override string ToString() => Repository + (Tag != null ? ":" + Tag : "") + (Digest != null ? "@" + Digest : "");

    /// <summary>Parses a reference; a missing tag (and digest) becomes <c>latest</c>.</summary>
    public static ImageReference Parse(string text) => Parse(text, defaultTag: true);

    public static ImageReference Parse(string text, bool defaultTag)
    {
        if (!TryParse(text, defaultTag, out var r, out var error))
            throw BerthException.Invalid($"invalid reference format \"{text}\": {error}");
        return r!;
    }

    public static bool TryParse(string text, bool defaultTag, out ImageReference? reference, out string error)
    {
        reference = null;
        error = "";
        if (string.IsNullOrEmpty(text)) { error = "empty reference"; return false; }
        if (text.Length > 4096) { error = "reference too long"; return false; }
        string rest = text;
        Digest? digest = null;
        int at = rest.IndexOf('@');
        if (at >= 0)
        {
            if (!Core.Digest.TryParse(rest[(at + 1)..], out var d)) { error = "invalid digest"; return false; }
            digest = d;
            rest = rest[..at];
        }
        string? tag = null;
        int lastColon = rest.LastIndexOf(':');
        if (lastColon > rest.LastIndexOf('/'))
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag)) { error = $"invalid tag \"{tag}\""; return false; }
        }
        string registry = DefaultRegistry, path = rest;
        int slash = rest.IndexOf('/');
        if (slash > 0)
        {
            string first = rest[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost" || first.Any(char.IsUpper))
            {
                registry = first;
                path = rest[(slash + 1)..];
            }
        }
        if (registry == "index.docker.io") registry = DefaultRegistry;
        if (!HostPattern().IsMatch(registry)) { error = $"invalid registry \"{registry}\""; return false; }
        if (path.Length == 0 || !PathPattern().IsMatch(path))
        {
            error = path.Any(char.IsUpper) ? "repository name must be lowercase" : $"invalid repository name \"{path}\"";
            return false;
        }
        if (registry == DefaultRegistry && !path.Contains('/')) path = "library/" + path;
        if (tag == null && digest == null && defaultTag) tag = DefaultTag;
        reference = new ImageReference(registry, path, tag, digest);
        return true;
    }

    /// <summary>Returns the same repository with another tag.</summary>
    public ImageReference WithTag(string tag) => new(Registry, Path, tag, null);

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$|^\[[0-9a-fA-F:]+\](?::[0-9]+)?$")]
    private static partial Regex HostPattern();
}
