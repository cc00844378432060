using System.Text;

namespace Berth.Cli.Output;

/// <summary>Aligns tab-separated cells as Go's text/tabwriter does with Docker's settings (minwidth 10, padding 3, spaces).</summary>
public static class TabWriter
{
    public static string Align(IEnumerable<string> lines, int minWidth = 10, int padding = 3)
    {
        var rows = lines.Select(l => l.Split('\t')).ToList();
        var widths = new List<int>();
        foreach (var row in rows)
            for (int c = 0; c < row.Length - 1; c++)
            {
                int w = Math.Max(minWidth, Width(row[c]) + padding);
                if (c >= widths.Count) widths.Add(w);
                else if (w > widths[c]) widths[c] = w;
            }
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            for (int c = 0; c < row.Length; c++)
            {
                sb.Append(row[c]);
                if (c < row.Length - 1) sb.Append(' ', widths[c] - Width(row[c]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static int Width(string s)
    {
        int n = 0;
        foreach (var _ in s.EnumerateRunes()) n++;
        return n;
    }
}
