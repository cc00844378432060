using Berth.Core;

namespace Berth.Engine.Containers;

/// <summary>Parses Docker's size strings: 512, 10k, 64m, 1g (binary multiples), as <c>--memory</c> and log-opt max-size use.</summary>
public static class ByteSize
{
    public static long Parse(string text, string what)
    {
        string t = text.Trim().ToLowerInvariant();
        if (t.EndsWith('b')) t = t[..^1];
        long mult = 1;
        if (t.Length > 0 && char.IsLetter(t[^1]))
        {
            mult = t[^1] switch
            {
                'k' => 1024L,
                'm' => 1024L * 1024,
                'g' => 1024L * 1024 * 1024,
                't' => 1024L * 1024 * 1024 * 1024,
                _ => throw BerthException.Invalid($"invalid size for {what}: \"{text}\""),
            };
            t = t[..^1];
        }
        if (!double.TryParse(t, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n < 0)
            throw BerthException.Invalid($"invalid size for {what}: \"{text}\"");
        return (long)(n * mult);
    }
}
