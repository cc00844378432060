using System.Text;
using System.Text.RegularExpressions;
using Berth.Core;

namespace Berth.Build.Shell;

/// <summary>Shell wildcard patterns (* and ?, no brackets) for ${VAR#p}, ${VAR%p} and ${VAR/p/r}.</summary>
internal static class ShellPattern
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    public static Regex ToRegex(string pattern, bool greedy, bool anchored)
    {
        var sb = new StringBuilder(pattern.Length + 4);
        if (anchored) sb.Append('^');
        string star = greedy ? ".*" : ".*?";
        for (int i = 0; i < pattern.Length; i++)
        {
            char tok = pattern[i];
            switch (tok)
            {
                case '*':
                    sb.Append(star);
                    continue;
                case '?':
                    sb.Append('.');
                    continue;
                case '\\':
                    {
                        char next = i + 1 < pattern.Length ? pattern[i + 1] : '\0';
                        // "\}" and "\/" only protect the ${} syntax; the backslash is not part of the pattern.
                        if (next is '}' or '/') continue;
                        if (next is not ('*' or '?' or '\\'))
                            throw BerthException.Invalid($"invalid pattern ({pattern}) in substitution: invalid escape '\\{(i + 1 < pattern.Length ? next.ToString() : "")}'");
                        sb.Append('\\').Append(next);
                        i++;
                        continue;
                    }
                case '[' or ']' or '{' or '}' or '.' or '+' or '(' or ')' or '|' or '^' or '$':
                    sb.Append('\\');
                    break;
            }
            sb.Append(tok);
        }
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant, MatchTimeout);
    }

    public static string TrimPrefix(string pattern, string value, bool greedy)
    {
        var m = ToRegex(pattern, greedy, anchored: true).Match(value);
        return m.Success ? value[(m.Index + m.Length)..] : value;
    }

    public static string TrimSuffix(string pattern, string value, bool greedy)
    {
        // A regex finds leftmost matches only, so search the reversed value with the reversed pattern.
        string trimmed = TrimPrefix(ReversePattern(pattern), Reverse(value), greedy);
        return Reverse(trimmed);
    }

    public static string Replace(string pattern, string value, string replacement, bool all)
    {
        var re = ToRegex(pattern, greedy: true, anchored: false);
        if (all) return re.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal));
        var m = re.Match(value);
        return m.Success ? value[..m.Index] + replacement + value[(m.Index + m.Length)..] : value;
    }

    // Reverses the pattern but keeps each escape before the character it escapes.
    private static string ReversePattern(string pattern)
    {
        var runes = pattern.EnumerateRunes().ToArray();
        var output = new Rune[runes.Length];
        int last = runes.Length - 1;
        for (int i = 0; i <= last;)
        {
            int o = last - i;
            if (runes[i].Value == '\\' && i != last)
            {
                output[o - 1] = runes[i];
                output[o] = runes[i + 1];
                i += 2;
            }
            else
            {
                output[o] = runes[i];
                i++;
            }
        }
        var sb = new StringBuilder(pattern.Length);
        foreach (var r in output) sb.Append(r.ToString());
        return sb.ToString();
    }

    private static string Reverse(string s)
    {
        var runes = s.EnumerateRunes().ToArray();
        Array.Reverse(runes);
        var sb = new StringBuilder(s.Length);
        foreach (var r in runes) sb.Append(r.ToString());
        return sb.ToString();
    }
}
