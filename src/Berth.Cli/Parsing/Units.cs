using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Cli.Parsing;

/// <summary>Parses Docker's flag value units: byte sizes ("512m"), CPU counts ("1.5"), Go durations ("1m30s").</summary>
public static partial class Units
{
    [GeneratedRegex(@"^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")]
    private static partial Regex SizePattern();

    /// <summary>A size in bytes with binary suffixes (b, k, m, g, t, p; case-insensitive), as docker's --memory takes it.</summary>
    public static long RamInBytes(string text)
    {
        var m = SizePattern().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new FormatException($"invalid size: '{text}'");
        long multiplier = char.ToLowerInvariant(m.Groups[2].Success && m.Groups[2].Length > 0 ? m.Groups[2].Value[0] : 'b') switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            'p' => 1L << 50,
            _ => 1,
        };
        return (long)(value * multiplier);
    }

    /// <summary>A size flag ("-m 512m"); "-1" is allowed where Docker means unlimited.</summary>
    public static long SizeFlag(string text, string flagDisplay, bool allowMinusOne = false)
    {
        if (allowMinusOne && text == "-1") return -1;
        try { return RamInBytes(text); }
        catch (FormatException e) { throw new UsageException($"invalid argument \"{text}\" for \"{flagDisplay}\" flag: {e.Message}"); }
    }

    /// <summary>--cpus as nano-CPUs: "1.5" → 1500000000.</summary>
    public static long NanoCpus(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal cpus))
            throw new UsageException($"invalid argument \"{text}\" for \"--cpus\" flag: failed to parse {text} as a rational number");
        decimal nano = cpus * 1_000_000_000m;
        if (nano != decimal.Truncate(nano)) throw new UsageException($"invalid argument \"{text}\" for \"--cpus\" flag: value is too precise");
        return (long)nano;
    }

    [GeneratedRegex(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex DurationPart();

    /// <summary>A Go duration ("1m30s", "500ms", "0") in nanoseconds.</summary>
    public static long GoDuration(string text, string flagDisplay)
    {
        if (text == "0") return 0;
        string rest = text;
        bool negative = rest.StartsWith('-');
        if (negative || rest.StartsWith('+')) rest = rest[1..];
        double total = 0;
        int pos = 0;
        foreach (Match m in DurationPart().Matches(rest))
        {
            if (m.Index != pos) break;
            pos += m.Length;
            double v = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += v * m.Groups[2].Value switch
            {
                "ns" => 1, "us" or "µs" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9, _ => 3600e9,
            };
        }
        if (pos != rest.Length || rest.Length == 0)
            throw new UsageException($"invalid argument \"{text}\" for \"{flagDisplay}\" flag: time: invalid duration \"{text}\"");
        return (long)(negative ? -total : total);
    }
}
