namespace Berth.Build.Parser;

/// <summary>Recognises parser directives at the top of a file and tracks the escape token they set.</summary>
internal sealed class DirectiveScanner
{
    private readonly HashSet<string> _seen = [];
    private readonly List<ParserDirective> _directives = [];
    private int _line;
    private bool _done;

    public char EscapeToken { get; private set; } = '\\';

    public IReadOnlyList<ParserDirective> Directives => _directives;

    /// <summary>Looks at one line; returns true when it was a directive. Directives stop at the first line that is not one.</summary>
    public bool TryParse(string line)
    {
        _line++;
        if (_done) return false;
        if (!line.StartsWith('#'))
        {
            _done = true;
            return false;
        }
        string body = Shell.GoText.TrimLeftSpace(line[1..]);
        if (!TryMatch(body, out string name, out string value))
        {
            _done = true;
            return false;
        }
        string key = name.ToLowerInvariant();
        if (key is not ("syntax" or "escape" or "check"))
        {
            _done = true;
            return false;
        }
        if (!_seen.Add(key))
            throw new DirectiveException($"only one {key} parser directive can be used");
        if (key == "escape")
        {
            if (value is not ("`" or "\\"))
                throw new DirectiveException($"invalid escape token '{value}' does not match ` or \\");
            EscapeToken = value[0];
        }
        _directives.Add(new ParserDirective(key, value, _line));
        return true;
    }

    private static bool IsReSpace(char c) => c is '\t' or '\n' or '\f' or '\r' or ' ';

    // name \s* = \s* value, where the value is trimmed of trailing blanks but keeps at least one character.
    private static bool TryMatch(string s, out string name, out string value)
    {
        name = value = "";
        int i = 0;
        if (s.Length == 0 || !char.IsAsciiLetter(s[0])) return false;
        while (i < s.Length && char.IsAsciiLetterOrDigit(s[i])) i++;
        name = s[..i];
        while (i < s.Length && IsReSpace(s[i])) i++;
        if (i >= s.Length || s[i] != '=') return false;
        i++;
        string rest = s[i..];
        if (rest.Length == 0 || rest.Contains('\n')) return false;
        int start = 0;
        while (start < rest.Length && IsReSpace(rest[start])) start++;
        if (start == rest.Length)
        {
            // Only blanks: the lazy value still takes the last one.
            value = rest[^1..];
            return true;
        }
        int end = rest.Length;
        while (end > start && IsReSpace(rest[end - 1])) end--;
        value = rest[start..end];
        return true;
    }
}

/// <summary>A malformed or repeated parser directive.</summary>
internal sealed class DirectiveException(string message) : Exception(message);
