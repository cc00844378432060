namespace Berth.Build.Parser;

/// <summary>Splits source text into lines that keep their line endings (here-document content needs them).</summary>
internal static class SourceLines
{
    /// <summary>BuildKit reads lines with a 64 KiB scanner buffer; longer lines are an error there, so here too.</summary>
    public const int MaxLineBytes = 64 * 1024;

    /// <summary>Index of the first line too long for BuildKit's scanner, or -1.</summary>
    public static int FirstTooLong(List<string> lines)
    {
        for (int i = 0; i < lines.Count; i++)
        {
            string l = lines[i];
            if (l.Length * 3 < MaxLineBytes) continue;
            int bytes = System.Text.Encoding.UTF8.GetByteCount(l);
            bool hasNewline = l.EndsWith('\n');
            if (hasNewline ? bytes > MaxLineBytes : bytes >= MaxLineBytes) return i;
        }
        return -1;
    }

    public static List<string> Split(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                lines.Add(text[start..]);
                break;
            }
            lines.Add(text[start..(nl + 1)]);
            start = nl + 1;
        }
        return lines;
    }
}
