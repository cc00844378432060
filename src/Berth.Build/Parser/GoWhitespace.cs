namespace Berth.Build.Parser;

/// <summary>Splitting on runs of [\t\v\f\r ] with the exact results of Go's regexp.Split.</summary>
internal static class GoWhitespace
{
    public static bool IsBlank(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ';

    /// <summary>Splits <paramref name="s"/> at blank runs into at most <paramref name="n"/> parts (n &lt; 0: all).</summary>
    public static List<string> Split(string s, int n)
    {
        var parts = new List<string>();
        if (n == 0) return parts;
        if (s.Length == 0)
        {
            parts.Add("");
            return parts;
        }
        int beg = 0, end = 0, i = 0;
        while (i < s.Length)
        {
            if (!IsBlank(s[i]))
            {
                i++;
                continue;
            }
            int mStart = i;
            while (i < s.Length && IsBlank(s[i])) i++;
            if (n > 0 && parts.Count == n - 1) break;
            end = mStart;
            parts.Add(s[beg..end]);
            beg = i;
        }
        if (end != s.Length) parts.Add(s[beg..]);
        return parts;
    }
}
