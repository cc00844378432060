using System.Globalization;

namespace Berth.Core.EngineApi;

/// <summary>Docker's human-readable durations and sizes ("2 minutes", "4.26MB", "1.5MiB"), shared by the daemon (container Status) and the CLI.</summary>
public static class HumanUnits
{
    /// <summary>"Less than a second", "1 second", "About a minute", "3 hours", "2 weeks"… as Docker's go-units prints them.</summary>
    public static string Duration(TimeSpan d)
    {
        long seconds = (long)d.TotalSeconds;
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return seconds + " seconds";
        long minutes = (long)d.TotalMinutes;
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return minutes + " minutes";
        long hours = (long)Math.Round(d.TotalHours, MidpointRounding.AwayFromZero);
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return hours / 24 + " days";
        if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
        if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
        return (long)d.TotalHours / 24 / 365 + " years";
    }

    /// <summary>The Status column of docker ps for a running container: "Up 3 seconds" (plus " (Paused)" or health when given).</summary>
    public static string UpStatus(TimeSpan running, bool paused = false, string? health = null)
    {
        string s = "Up " + Duration(running);
        if (paused) return s + " (Paused)";
        if (health is "starting") return s + " (health: starting)";
        if (health is "healthy" or "unhealthy") return s + " (" + health + ")";
        return s;
    }

    /// <summary>The Status column of docker ps for an exited container: "Exited (0) 5 seconds ago".</summary>
    public static string ExitedStatus(int exitCode, TimeSpan sinceFinished) =>
        "Exited (" + exitCode.ToString(CultureInfo.InvariantCulture) + ") " + Duration(sinceFinished) + " ago";

    private static readonly string[] DecimalUnits = { "B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB" };
    private static readonly string[] BinaryUnits = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB" };

    /// <summary>A size in decimal units with 3 significant digits, as docker images prints it: "4.26MB", "100B".</summary>
    public static string Size(double bytes, int precision = 3) => Scaled(bytes, 1000.0, DecimalUnits, precision);

    /// <summary>A size in binary units with 4 significant digits, as docker stats prints it: "1.5MiB".</summary>
    public static string BinarySize(double bytes) => Scaled(bytes, 1024.0, BinaryUnits, 4);

    private static string Scaled(double size, double baseValue, string[] units, int precision)
    {
        int i = 0;
        while (size >= baseValue && i < units.Length - 1)
        {
            size /= baseValue;
            i++;
        }
        return FormatG(size, precision) + units[i];
    }

    // Go's %.Ng: N significant digits, trailing zeros trimmed, exponent form only for large exponents.
    private static string FormatG(double value, int precision)
    {
        if (value == 0) return "0";
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        double rounded = Math.Round(value, Math.Max(0, precision - 1 - exponent), MidpointRounding.ToEven);
        if (rounded != 0 && (int)Math.Floor(Math.Log10(Math.Abs(rounded))) >= precision)
            return rounded.ToString("0.##e+00", CultureInfo.InvariantCulture);
        string s = rounded.ToString("F" + Math.Max(0, precision - 1 - exponent), CultureInfo.InvariantCulture);
        if (s.Contains('.')) s = s.TrimEnd('0').TrimEnd('.');
        return s;
    }
}
