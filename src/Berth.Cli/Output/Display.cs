using System.Globalization;
using System.Text;
using Berth.Core.EngineApi;

namespace Berth.Cli.Output;

/// <summary>Docker's small display conventions: 12-character IDs, ellipsis truncation, Go's time format, port lists.</summary>
public static class Display
{
    /// <summary>The first 12 hex digits of an ID, without any "sha256:" prefix.</summary>
    public static string ShortId(string id)
    {
        int colon = id.IndexOf(':');
        if (colon >= 0) id = id[(colon + 1)..];
        return id.Length > 12 ? id[..12] : id;
    }

    /// <summary>Cuts a string to maxWidth characters, the last being "…", as Docker's formatter.Ellipsis does.</summary>
    public static string Ellipsis(string s, int maxWidth)
    {
        var runes = s.EnumerateRunes().ToArray();
        if (runes.Length <= maxWidth) return s;
        if (maxWidth <= 1) return "…";
        return string.Concat(runes.Take(maxWidth - 1).Select(r => r.ToString())) + "…";
    }

    /// <summary>A Unix time as Go's time.Time.String prints it in the local zone: "2026-11-29 15:04:05 +0000 UTC".</summary>
    public static string GoTime(DateTimeOffset utc)
    {
        var local = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.Local);
        var offset = local.Offset;
        string sign = offset < TimeSpan.Zero ? "-" : "+";
        string off = sign + Math.Abs(offset.Hours).ToString("00", CultureInfo.InvariantCulture) + Math.Abs(offset.Minutes).ToString("00", CultureInfo.InvariantCulture);
        string zone = offset == TimeSpan.Zero ? "UTC" : off;
        return local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " " + off + " " + zone;
    }

    /// <summary>"2 minutes ago" for a Unix time in seconds.</summary>
    public static string Ago(long unixSeconds, DateTimeOffset now) =>
        HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(unixSeconds)) + " ago";

    /// <summary>The PORTS column: "0.0.0.0:8080->80/tcp, 443/tcp".</summary>
    public static string Ports(IEnumerable<ContainerPort> ports)
    {
        var parts = new List<string>();
        foreach (var p in ports.OrderBy(p => p.PrivatePort).ThenBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.IP, StringComparer.Ordinal))
        {
            if (p.PublicPort is > 0)
            {
                string ip = p.IP ?? "";
                if (ip.Contains(':')) ip = "[" + ip + "]";
                parts.Add($"{ip}:{p.PublicPort}->{p.PrivatePort}/{p.Type}");
            }
            else parts.Add($"{p.PrivatePort}/{p.Type}");
        }
        return string.Join(", ", parts.Distinct());
    }

    /// <summary>A Go strconv.Quote-style double-quoted string.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\t': sb.Append("\\t"); break;
                case '\r': sb.Append("\\r"); break;
                default:
                    if (c < 0x20) sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
