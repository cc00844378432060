using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Logging;

/// <summary>Log timestamps as nanoseconds since the Unix epoch, formatted the way Docker's json-file driver does.</summary>
public static partial class LogTime
{
    private const long NanosPerSecond = 1_000_000_000;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc")]
    private static partial int clock_gettime(int clock, out Timespec ts);

    /// <summary>The current wall-clock time in nanoseconds (CLOCK_REALTIME: full nanosecond precision, unlike DateTime).</summary>
    public static long NowNanos()
    {
        clock_gettime(0, out var ts);
        return ts.Seconds * NanosPerSecond + ts.Nanoseconds;
    }

    /// <summary>Converts a DateTimeOffset to nanoseconds since the epoch.</summary>
    public static long ToNanos(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>Converts nanoseconds since the epoch to a DateTimeOffset (100 ns precision).</summary>
    public static DateTimeOffset FromNanos(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    /// <summary>Go's time.RFC3339Nano in UTC: trailing zeros of the fraction trimmed (the json-file "time" field).</summary>
    public static string FormatRfc3339Nano(long nanos) => Format(nanos, trim: true);

    /// <summary>Docker's RFC3339NanoFixed in UTC: always nine fraction digits (the `logs -t` prefix).</summary>
    public static string FormatRfc3339NanoFixed(long nanos) => Format(nanos, trim: false);

    private static string Format(long nanos, bool trim)
    {
        long seconds = Math.DivRem(nanos, NanosPerSecond, out long frac);
        if (frac < 0)
        {
            frac += NanosPerSecond;
            seconds--;
        }
        string head = DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        if (trim)
        {
            if (frac == 0)
                return head + "Z";
            return head + "." + frac.ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0') + "Z";
        }
        return head + "." + frac.ToString("D9", CultureInfo.InvariantCulture) + "Z";
    }

    /// <summary>Parses an RFC 3339 timestamp with up to nine fraction digits and a Z or ±hh:mm offset.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out long nanos)
    {
        nanos = 0;
        if (text.Length < 20)
            return false;
        if (!DateTime.TryParseExact(text[..19], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var whole))
            return false;
        int i = 19;
        long frac = 0;
        if (text[i] == '.')
        {
            i++;
            int digits = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                if (digits < 9)
                {
                    frac = frac * 10 + (text[i] - '0');
                    digits++;
                }
                i++;
            }
            for (; digits < 9; digits++)
                frac *= 10;
        }
        if (i >= text.Length)
            return false;
        long offsetSeconds = 0;
        if (text[i] == 'Z' || text[i] == 'z')
        {
            if (i + 1 != text.Length)
                return false;
        }
        else if ((text[i] == '+' || text[i] == '-') && text.Length - i == 6 && text[i + 3] == ':'
                 && int.TryParse(text.Slice(i + 1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hh)
                 && int.TryParse(text.Slice(i + 4, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int mm))
        {
            offsetSeconds = (hh * 3600 + mm * 60) * (text[i] == '+' ? 1 : -1);
        }
        else
        {
            return false;
        }
        long unixSeconds = (whole.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond - offsetSeconds;
        nanos = unixSeconds * NanosPerSecond + frac;
        return true;
    }
}
