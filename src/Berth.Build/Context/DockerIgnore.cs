using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Build.Context;

/// <summary>
/// .dockerignore patterns with Docker's rules: paths cleaned and made relative, <c>*</c> and <c>?</c> stay within one path
/// element, <c>**</c> spans any number of them, <c>!</c> re-includes, the last matching line wins, and a pattern that
/// matches a directory also matches everything below it.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclusion, string Text)> _patterns = new();

    public DockerIgnore(IEnumerable<string> lines)
    {
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            bool exclusion = line.StartsWith('!');
            if (exclusion) line = line[1..].Trim();
            if (line.Length == 0) continue;
            string cleaned = Clean(line);
            if (cleaned == "." ) continue;
            _patterns.Add((new Regex(ToRegex(cleaned), RegexOptions.CultureInvariant), exclusion, cleaned));
        }
    }

    /// <summary>Parses the text of a .dockerignore file.</summary>
    public static DockerIgnore Parse(string text) => new(text.Split('\n'));

    public static DockerIgnore Empty { get; } = new(Array.Empty<string>());

    /// <summary>True when there are no patterns.</summary>
    public bool IsEmpty => _patterns.Count == 0;

    /// <summary>True when some pattern re-includes paths, so an ignored directory must still be walked.</summary>
    public bool HasExclusions => _patterns.Any(p => p.Exclusion);

    /// <summary>Whether the context path <paramref name="path"/> (slash-separated, relative) is left out of the context.</summary>
    public bool IsIgnored(string path)
    {
        string p = Clean(path);
        bool matched = false;
        foreach (var (pattern, exclusion, _) in _patterns)
        {
            // An include can only change an unmatched path, an exclusion only a matched one.
            if (exclusion != matched) continue;
            if (MatchesOrParentMatches(pattern, p)) matched = !exclusion;
        }
        return matched;
    }

    private static bool MatchesOrParentMatches(Regex pattern, string path)
    {
        if (pattern.IsMatch(path)) return true;
        for (int i = path.LastIndexOf('/'); i > 0; i = path.LastIndexOf('/', i - 1))
        {
            if (pattern.IsMatch(path[..i])) return true;
        }
        return false;
    }

    /// <summary>Lexical cleaning as Go's path.Clean, then the leading slash dropped: patterns and paths are context-relative.</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!path.StartsWith('/')) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static string ToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        i++;
                        // "**/" may match nothing at all, so "**/a" matches "a" too.
                        if (i + 1 < pattern.Length && pattern[i + 1] == '/') { i++; sb.Append("(.*/)?"); }
                        else sb.Append(".*");
                    }
                    else sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    int end = pattern.IndexOf(']', i + 1);
                    if (end < 0) { sb.Append("\\["); break; }
                    string cls = pattern[(i + 1)..end];
                    if (cls.StartsWith('!')) cls = "^" + cls[1..];
                    sb.Append('[').Append(cls.Replace("\\", "\\\\")).Append(']');
                    i = end;
                    break;
                case '\\':
                    if (i + 1 < pattern.Length) sb.Append(Regex.Escape(pattern[++i].ToString()));
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.Append('$').ToString();
    }
}
