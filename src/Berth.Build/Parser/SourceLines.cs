namespace Berth.Build.Parser;

/// <summary>Splits source text into lines that keep their line endings (here-document content needs them).</summary>
internal static class SourceLines
{
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
