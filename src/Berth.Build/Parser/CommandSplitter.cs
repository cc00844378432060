using System.Text;
using Berth.Build.Shell;

namespace Berth.Build.Parser;

/// <summary>Splits a logical line into keyword, leading <c>--flags</c> and the remaining argument text.</summary>
internal static class CommandSplitter
{
    public static (string Command, List<string> Flags, string Args) Split(string line, char escape)
    {
        var parts = GoWhitespace.Split(GoText.TrimSpace(line), 2);
        if (parts.Count < 2) return (parts.Count == 1 ? parts[0] : "", [], "");
        var (args, flags) = ExtractFlags(parts[1], escape);
        return (parts[0], flags, GoText.TrimSpace(args));
    }

    // BuildKit scans flags byte by byte (each byte taken as a rune), so this works on UTF-8 bytes to give identical results.
    private static (string Remainder, List<string> Flags) ExtractFlags(string line, char escape)
    {
        byte[] b = Encoding.UTF8.GetBytes(line);
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, inQuote = false, blankOk = false;
        byte quote = 0;
        string RestFrom(int pos) => Encoding.UTF8.GetString(b, pos, b.Length - pos);

        for (int pos = 0; pos <= b.Length; pos++)
        {
            byte ch = pos < b.Length ? b[pos] : (byte)0;
            if (!inWord && !inQuote)
            {
                if (pos == b.Length) break;
                if (GoText.IsSpace(ch)) continue;
                // Flags are only the leading words starting with "--".
                if (ch != '-' || pos + 1 == b.Length || b[pos + 1] != '-') return (RestFrom(pos), words);
                inWord = true;
            }
            if (pos == b.Length)
            {
                string w = word.ToString();
                if (w != "--" && (blankOk || w.Length > 0)) words.Add(w);
                break;
            }
            if (inWord)
            {
                if (GoText.IsSpace(ch))
                {
                    string w = word.ToString();
                    inWord = false;
                    if (w == "--") return (RestFrom(pos), words);
                    if (blankOk || w.Length > 0) words.Add(w);
                    word.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is (byte)'\'' or (byte)'"')
                {
                    quote = ch;
                    blankOk = true;
                    inWord = false;
                    inQuote = true;
                    continue;
                }
                if (ch == escape)
                {
                    if (pos + 1 == b.Length) continue;
                    ch = b[++pos];
                }
                word.Append((char)ch);
                continue;
            }
            // Inside quotes.
            if (ch == quote)
            {
                inQuote = false;
                inWord = true;
                continue;
            }
            if (ch == escape)
            {
                if (pos + 1 == b.Length)
                {
                    inQuote = false;
                    inWord = true;
                    continue;
                }
                ch = b[++pos];
            }
            word.Append((char)ch);
        }
        return ("", words);
    }
}
