using System.Globalization;
using System.Text;

namespace Berth.Build.Shell;

/// <summary>Character classes and string quoting with the semantics of Go's unicode and strconv packages, which BuildKit's output depends on.</summary>
internal static class GoText
{
    public static bool IsSpace(int ch) => ch switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or 0x85 or 0xA0 => true,
        < 0x100 => false,
        > 0xFFFF => false,
        _ => char.IsWhiteSpace((char)ch),
    };

    public static bool IsLetter(int ch) => ch >= 0 && Rune.IsValid(ch) && Rune.IsLetter(new Rune(ch));

    public static bool IsDigit(int ch) => ch >= 0 && Rune.IsValid(ch) && Rune.IsDigit(new Rune(ch));

    /// <summary>Go's strings.TrimSpace.</summary>
    public static string TrimSpace(string s)
    {
        int start = 0, end = s.Length;
        while (start < end && IsSpace(s[start])) start++;
        while (end > start && IsSpace(s[end - 1])) end--;
        return start == 0 && end == s.Length ? s : s[start..end];
    }

    /// <summary>Go's strings.TrimLeftFunc(s, unicode.IsSpace).</summary>
    public static string TrimLeftSpace(string s)
    {
        int start = 0;
        while (start < s.Length && IsSpace(s[start])) start++;
        return start == 0 ? s : s[start..];
    }

    /// <summary>Go's strconv.Quote: a double-quoted literal with Go escapes for non-printable runes.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        AppendQuoted(sb, s);
        return sb.ToString();
    }

    public static void AppendQuoted(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var rune in s.EnumerateRunes())
        {
            int r = rune.Value;
            switch (r)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
            }
            if (IsPrint(rune))
            {
                sb.Append(rune.ToString());
                continue;
            }
            switch (r)
            {
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (r < ' ' || r == 0x7F) sb.Append("\\x").Append(r.ToString("x2", CultureInfo.InvariantCulture));
                    else if (r < 0x10000) sb.Append("\\u").Append(r.ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append("\\U").Append(r.ToString("x8", CultureInfo.InvariantCulture));
                    break;
            }
        }
        sb.Append('"');
    }

    // Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static bool IsPrint(Rune rune)
    {
        int r = rune.Value;
        if (r < 0x100)
            return (r >= 0x20 && r < 0x7F) || (r >= 0xA1 && r != 0xAD);
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation
                or UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => true,
            _ => false,
        };
    }
}
