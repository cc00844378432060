using System.Globalization;
using System.Text;
using Berth.Core;

namespace Berth.Build.Parser.Instructions;

/// <summary>One RUN --mount: type (bind, cache, tmpfs, secret, ssh) and its options, with BuildKit's defaults and checks.</summary>
public sealed record RunMount(
    string Type,
    string? From,
    string? Source,
    string? Target,
    bool ReadOnly,
    long SizeLimit,
    string? CacheId,
    string? Sharing,
    bool Required,
    string? Env,
    uint? Mode,
    uint? Uid,
    uint? Gid)
{
    private static readonly string[] Types = ["bind", "cache", "tmpfs", "secret", "ssh"];
    private static readonly string[] SharingModes = ["shared", "private", "locked"];

    /// <summary>Parses a --mount value such as "type=cache,target=/root/.cache"; <paramref name="expand"/> expands each value first (null: leave as written).</summary>
    /// <exception cref="BerthException">InvalidArgument naming the offending field.</exception>
    public static RunMount Parse(string spec, Func<string, string>? expand = null)
    {
        string type = "bind";
        string? from = null, source = null, target = null, cacheId = null, sharing = null, env = null;
        bool readOnly = false, roAuto = true, required = false;
        long size = 0;
        uint? mode = null, uid = null, gid = null;

        foreach (var field in CsvFields(spec))
        {
            int eq = field.IndexOf('=');
            string key = (eq < 0 ? field : field[..eq]).ToLowerInvariant();
            if (eq < 0)
            {
                switch (key)
                {
                    case "readonly" or "ro": readOnly = true; roAuto = false; continue;
                    case "readwrite" or "rw": readOnly = false; roAuto = false; continue;
                    case "required" when type is "secret" or "ssh": required = true; continue;
                    case "required": throw Bad($"unexpected key '{key}' for mount type '{type}'");
                    default: throw Bad($"invalid field '{field}' must be a key=value pair");
                }
            }
            string value = field[(eq + 1)..];
            if (expand != null) value = expand(value);
            switch (key)
            {
                case "type":
                    type = value.ToLowerInvariant();
                    if (!Types.Contains(type)) throw Bad($"unsupported mount type \"{value}\"");
                    break;
                case "from":
                    from = value;
                    break;
                case "source" or "src":
                    source = value;
                    break;
                case "target" or "dst" or "destination":
                    target = value;
                    break;
                case "readonly" or "ro":
                    readOnly = ParseBool(key, value);
                    roAuto = false;
                    break;
                case "readwrite" or "rw":
                    readOnly = !ParseBool(key, value);
                    roAuto = false;
                    break;
                case "required":
                    if (type is not ("secret" or "ssh")) throw Bad($"unexpected key '{key}' for mount type '{type}'");
                    required = ParseBool(key, value);
                    break;
                case "size":
                    if (type != "tmpfs") throw Bad($"unexpected key '{key}' for mount type '{type}'");
                    size = ByteSize.Parse(value) ?? throw Bad($"invalid value for {key}: {value}");
                    break;
                case "id":
                    cacheId = value;
                    break;
                case "sharing":
                    sharing = value.ToLowerInvariant();
                    if (!SharingModes.Contains(sharing)) throw Bad($"unsupported sharing value \"{value}\"");
                    break;
                case "mode":
                    mode = ParseUInt(value, 8) ?? throw Bad($"invalid value {value} for mode");
                    break;
                case "uid":
                    uid = ParseUInt(value, 10) ?? throw Bad($"invalid value {value} for uid");
                    break;
                case "gid":
                    gid = ParseUInt(value, 10) ?? throw Bad($"invalid value {value} for gid");
                    break;
                case "env":
                    env = value;
                    break;
                default:
                    throw Bad($"unexpected key '{key}' in '{field}'");
            }
        }

        if (type is not ("secret" or "ssh" or "cache"))
        {
            if (mode != null) throw Bad($"mode not allowed for \"{type}\" type mounts");
            if (uid != null) throw Bad($"uid not allowed for \"{type}\" type mounts");
            if (gid != null) throw Bad($"gid not allowed for \"{type}\" type mounts");
        }
        // Caches and tmpfs are writable by default; everything else read-only.
        if (roAuto) readOnly = type is not ("cache" or "tmpfs");
        if (type == "secret")
        {
            if (!string.IsNullOrEmpty(from)) throw Bad("secret mount should not have a from");
            if (!string.IsNullOrEmpty(sharing)) throw Bad("secret mount should not define sharing");
            if (string.IsNullOrEmpty(source) && string.IsNullOrEmpty(target) && string.IsNullOrEmpty(cacheId))
                throw Bad("invalid secret mount. one of source, target required");
            if (!string.IsNullOrEmpty(source) && !string.IsNullOrEmpty(cacheId)) throw Bad("both source and id can't be set");
        }
        if (!string.IsNullOrEmpty(sharing) && type != "cache") throw Bad($"invalid cache sharing set for {type} mount");
        return new RunMount(type, from, source, target, readOnly, size, cacheId, sharing, required, env, mode, uid, gid);
    }

    private static BerthException Bad(string message) => BerthException.Invalid(message);

    // Go's strconv.ParseBool.
    private static bool ParseBool(string key, string value) => value switch
    {
        "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
        "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
        _ => throw Bad($"invalid value for {key}: {value}"),
    };

    private static uint? ParseUInt(string s, int radix)
    {
        if (s.Length == 0) return null;
        ulong v = 0;
        foreach (char c in s)
        {
            int d = c - '0';
            if (d < 0 || d >= radix) return null;
            v = v * (ulong)radix + (ulong)d;
            if (v > uint.MaxValue) return null;
        }
        return (uint)v;
    }

    // One CSV record: comma-separated fields, double quotes protect commas and "" is a literal quote.
    private static List<string> CsvFields(string s)
    {
        var fields = new List<string>();
        if (s.Length == 0) return fields;
        var sb = new StringBuilder();
        int i = 0;
        while (true)
        {
            sb.Clear();
            if (i < s.Length && s[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= s.Length) throw Bad($"failed to parse csv mounts: unterminated quote in {s}");
                    if (s[i] == '"')
                    {
                        if (i + 1 < s.Length && s[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.Append(s[i++]);
                }
                if (i < s.Length && s[i] != ',') throw Bad($"failed to parse csv mounts: extraneous text after quoted field in {s}");
            }
            else
            {
                while (i < s.Length && s[i] != ',') sb.Append(s[i++]);
            }
            fields.Add(sb.ToString());
            if (i >= s.Length) break;
            i++; // the comma
        }
        return fields;
    }

    /// <summary>Sizes like "64m", "1g" or "1024" in bytes (binary multiples, as Docker's RAMInBytes).</summary>
    private static class ByteSize
    {
        public static long? Parse(string s)
        {
            s = s.Trim();
            int i = 0;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == 0 || !double.TryParse(s[..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n)) return null;
            string unit = s[i..].Trim().ToLowerInvariant();
            long mul = unit switch
            {
                "" or "b" => 1,
                "k" or "kb" or "kib" => 1L << 10,
                "m" or "mb" or "mib" => 1L << 20,
                "g" or "gb" or "gib" => 1L << 30,
                "t" or "tb" or "tib" => 1L << 40,
                "p" or "pb" or "pib" => 1L << 50,
                _ => -1,
            };
            return mul < 0 ? null : (long)(n * mul);
        }
    }
}
