using System.Text.RegularExpressions;

namespace Berth.Distribution;

/// <summary>The distribution spec's grammar for repository names, tags and upload IDs.</summary>
internal static partial class RegistryNames
{
    public const int MaxNameLength = 255;

    public static bool IsValidName(string name) => name.Length is > 0 and <= MaxNameLength && NamePattern().IsMatch(name);

    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>Upload IDs are ours (32 hex); checking them keeps a hostile ID from naming a path.</summary>
    public static bool IsValidUploadId(string id) => id.Length == 32 && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    // \z rather than $: $ would accept a trailing newline.
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*\z")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\z")]
    private static partial Regex TagPattern();
}
