using System.Globalization;

namespace Berth.Build.Parser.Instructions;

/// <summary>Go's time.ParseDuration ("1h30m", "2.5s", "300ms"), which HEALTHCHECK flags use.</summary>
internal static class GoDuration
{
    public static bool TryParse(string s, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }
        if (s[i..] == "0") return true;
        if (i >= s.Length) return false;
        double totalNs = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            string num = s[start..i];
            if (num.Length == 0 || num == "." || num.Count(c => c == '.') > 1) return false;
            int unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            double perUnit = s[unitStart..i] switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                "h" => 3600e9,
                _ => -1,
            };
            if (perUnit < 0) return false;
            totalNs += double.Parse(num, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * perUnit;
        }
        if (totalNs > long.MaxValue) return false;
        long ticks = (long)(totalNs / 100);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }
}
