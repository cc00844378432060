using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Distribution;

/// <summary>An <c>os/arch[/variant]</c> platform, and the choice of a manifest from an index for it.</summary>
public sealed record PlatformSpec(string Os, string Architecture, string? Variant)
{
    public static PlatformSpec Default { get; } = new("linux", "amd64", null);

    public override string ToString() => Os + "/" + Architecture + (Variant != null ? "/" + Variant : "");

    public static PlatformSpec Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        var parts = text.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            throw BerthException.Invalid($"invalid platform \"{text}\": expected os/arch[/variant]");
        return new PlatformSpec(parts[0], NormalizeArch(parts[1]), parts.Length == 3 ? parts[2] : null);
    }

    private static string NormalizeArch(string arch) => arch switch
    {
        "x86_64" or "x86-64" => "amd64",
        "aarch64" => "arm64",
        _ => arch,
    };

    /// <summary>The index entry for this platform: exact variant when one is asked for, else the first os/arch match.</summary>
    public Descriptor Select(ImageIndex index, string what)
    {
        var candidates = index.Manifests.Where(m => m.Platform != null
            && string.Equals(m.Platform.Os, Os, StringComparison.OrdinalIgnoreCase)
            && NormalizeArch(m.Platform.Architecture.ToLowerInvariant()) == Architecture).ToList();
        if (Variant != null) candidates = candidates.Where(m => string.Equals(m.Platform!.Variant, Variant, StringComparison.OrdinalIgnoreCase)).ToList();
        // arm64 images usually say v8 or nothing; prefer the bare entry when no variant was asked for.
        var chosen = candidates.OrderBy(m => m.Platform!.Variant == null ? 0 : 1).FirstOrDefault();
        if (chosen == null)
        {
            string available = string.Join(", ", index.Manifests.Where(m => m.Platform != null)
                .Select(m => m.Platform!.Os + "/" + m.Platform.Architecture + (m.Platform.Variant != null ? "/" + m.Platform.Variant : "")));
            throw BerthException.NotFound($"no matching manifest for {this} in the manifest list entries of {what} (available: {(available.Length == 0 ? "none" : available)})");
        }
        return chosen;
    }
}
