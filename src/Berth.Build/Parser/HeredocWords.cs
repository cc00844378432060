using Berth.Build.Shell;

namespace Berth.Build.Parser;

/// <summary>Finds here-document markers (<c>[n]&lt;&lt;[-]WORD</c>) in an instruction line, as BuildKit does.</summary>
internal static class HeredocWords
{
    private static readonly Dictionary<string, string> NoEnv = [];

    public static List<Heredoc> FromLine(string line)
    {
        // Split the whole line into shell words, keeping quotes and escapes, and test each word.
        var lex = new ShellLex('\\') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true };
        IReadOnlyList<string> words;
        try
        {
            words = lex.ProcessWords(line, NoEnv);
        }
        catch (Berth.Core.BerthException)
        {
            words = [];
        }
        var docs = new List<Heredoc>();
        foreach (var w in words)
        {
            var doc = Parse(w);
            if (doc != null) docs.Add(doc);
        }
        return docs;
    }

    /// <summary>Parses one word such as <c>&lt;&lt;-"EOF"</c>; null when it is not a here-document marker.</summary>
    public static Heredoc? Parse(string word)
    {
        int i = 0;
        while (i < word.Length && char.IsAsciiDigit(word[i])) i++;
        string fdText = word[..i];
        if (!word.AsSpan(i).StartsWith("<<")) return null;
        i += 2;
        bool chomp = i < word.Length && word[i] == '-';
        if (chomp) i++;
        while (i < word.Length && word[i] is '\t' or '\n' or '\f' or '\r' or ' ') i++;
        string rest = word[i..];
        if (rest.Contains('<') || rest.Length == 0) return null;
        int fd = fdText.Length == 0 ? 0 : int.TryParse(fdText, out int v) ? v : 0;

        // Lex the delimiter with and without quote removal: if the counts of quotes differ, part of it was quoted.
        var lex = new ShellLex('\\') { SkipUnsetEnv = true };
        var plain = lex.ProcessWords(rest, NoEnv);
        if (plain.Count != 1) return null;
        lex.RawQuotes = true;
        var raw = lex.ProcessWords(rest, NoEnv);
        if (raw.Count != plain.Count)
            throw new ArgumentParseException($"internal lexing of heredoc produced inconsistent results: {rest}");
        bool expand = QuoteCount(plain[0]) == QuoteCount(raw[0]);
        return new Heredoc(plain[0], fd, expand, chomp, "");
    }

    private static int QuoteCount(string s)
    {
        int n = 0;
        foreach (char c in s) if (c is '\'' or '"') n++;
        return n;
    }
}
