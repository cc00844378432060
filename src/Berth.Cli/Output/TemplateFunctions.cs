using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Output;

/// <summary>The functions Docker's templates offer (json, join, split, upper, lower, title, truncate, pad, println) plus Go's builtins.</summary>
internal static class TemplateFunctions
{
    public static object? Call(string name, List<object?> args)
    {
        switch (name)
        {
            case "json": Need(name, args, 1); return Json(args[0]);
            case "upper": Need(name, args, 1); return Str(args[0]).ToUpperInvariant();
            case "lower": Need(name, args, 1); return Str(args[0]).ToLowerInvariant();
            case "title": Need(name, args, 1); return Title(Str(args[0]));
            case "join": Need(name, args, 2); return Join(args[0], Str(args[1]));
            case "split": Need(name, args, 2); return Str(args[0]).Split(Str(args[1])).Select(s => (object?)s).ToList();
            case "truncate": Need(name, args, 2); return Truncate(Str(args[0]), ToLong(args[1]));
            case "pad": Need(name, args, 3); return new string(' ', (int)ToLong(args[1])) + Str(args[0]) + new string(' ', (int)ToLong(args[2]));
            case "print": return string.Concat(args.Select(GoTemplate.Print));
            case "println": return string.Join(" ", args.Select(GoTemplate.Print)) + "\n";
            case "printf": return Printf(args);
            case "len": Need(name, args, 1); return Len(args[0]);
            case "index": return Index(args);
            case "not": Need(name, args, 1); return !GoTemplate.Truthy(args[0]);
            case "and": return args.FirstOrDefault(a => !GoTemplate.Truthy(a), args.LastOrDefault());
            case "or": return args.FirstOrDefault(GoTemplate.Truthy, args.LastOrDefault());
            case "eq": Need(name, args, 2); return args.Skip(1).Any(a => Equal(args[0], a));
            case "ne": Need(name, args, 2); return !Equal(args[0], args[1]);
            case "lt": Need(name, args, 2); return Compare(args[0], args[1]) < 0;
            case "le": Need(name, args, 2); return Compare(args[0], args[1]) <= 0;
            case "gt": Need(name, args, 2); return Compare(args[0], args[1]) > 0;
            case "ge": Need(name, args, 2); return Compare(args[0], args[1]) >= 0;
            default: throw new TemplateException($"function \"{name}\" not defined");
        }
    }

    private static void Need(string name, List<object?> args, int n)
    {
        if (args.Count < n) throw new TemplateException($"wrong number of args for {name}: want {n} got {args.Count}");
    }

    private static string Str(object? v) => v is string s ? s : GoTemplate.Print(v);

    private static long ToLong(object? v) => v switch
    {
        long n => n,
        double d => (long)d,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.TryGetInt64(out long l) ? l : (long)e.GetDouble(),
        string s when long.TryParse(s, out long l) => l,
        _ => throw new TemplateException($"expected an integer, got {GoTemplate.Print(v)}"),
    };

    /// <summary>Marshals a value as Go's encoding/json does (no indentation, HTML-safe escaping off).</summary>
    public static string Json(object? v)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(w, v);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Write(Utf8JsonWriter w, object? v)
    {
        switch (v)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case long n: w.WriteNumberValue(n); break;
            case double d: w.WriteNumberValue(d); break;
            case List<object?> l:
                w.WriteStartArray();
                foreach (var e in l) Write(w, e);
                w.WriteEndArray();
                break;
            case JsonElement e: e.WriteTo(w); break;
            default: w.WriteStringValue(v.ToString()); break;
        }
    }

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool start = true;
        foreach (char c in s)
        {
            sb.Append(start ? char.ToUpperInvariant(c) : c);
            start = !char.IsLetterOrDigit(c);
        }
        return sb.ToString();
    }

    private static string Join(object? list, string sep) => list switch
    {
        List<object?> l => string.Join(sep, l.Select(Str)),
        JsonElement { ValueKind: JsonValueKind.Array } a => string.Join(sep, a.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
        null => "",
        _ => throw new TemplateException($"join: expected a list, got {GoTemplate.TypeName(list)}"),
    };

    private static string Truncate(string s, long n)
    {
        var runes = s.EnumerateRunes().ToArray();
        if (runes.Length <= n) return s;
        return string.Concat(runes.Take((int)n).Select(r => r.ToString()));
    }

    private static long Len(object? v) => v switch
    {
        string s => s.Length,
        List<object?> l => l.Count,
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength(),
        JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Count(),
        null => 0,
        _ => throw new TemplateException($"len of type {GoTemplate.TypeName(v)}"),
    };

    private static object? Index(List<object?> args)
    {
        if (args.Count < 2) throw new TemplateException("wrong number of args for index: want at least 2");
        object? v = args[0];
        foreach (var key in args.Skip(1))
        {
            v = v switch
            {
                JsonElement { ValueKind: JsonValueKind.Object } o => o.TryGetProperty(Str(key), out var c) ? Unwrap(c) : null,
                JsonElement { ValueKind: JsonValueKind.Array } a => ToLong(key) < a.GetArrayLength() ? Unwrap(a[(int)ToLong(key)]) : throw new TemplateException($"index out of range: {ToLong(key)}"),
                List<object?> l => ToLong(key) < l.Count ? l[(int)ToLong(key)] : throw new TemplateException($"index out of range: {ToLong(key)}"),
                null => null,
                _ => throw new TemplateException($"can't index item of type {GoTemplate.TypeName(v)}"),
            };
        }
        return v;
    }

    private static object? Unwrap(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null => null,
        _ => e,
    };

    private static bool Equal(object? a, object? b)
    {
        if (a is JsonElement { ValueKind: JsonValueKind.Number } || b is JsonElement { ValueKind: JsonValueKind.Number } || a is long or double || b is long or double)
            return a != null && b != null && Compare(a, b) == 0;
        return Equals(a, b) || (a != null && b != null && Str(a) == Str(b) && a.GetType() == b.GetType());
    }

    private static int Compare(object? a, object? b)
    {
        if (a is string sa && b is string sb) return string.CompareOrdinal(sa, sb);
        return Num(a).CompareTo(Num(b));
    }

    private static double Num(object? v) => v switch
    {
        long n => n,
        double d => d,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => throw new TemplateException($"incompatible types for comparison: {GoTemplate.TypeName(v)}"),
    };

    private static string Printf(List<object?> args)
    {
        if (args.Count == 0) throw new TemplateException("wrong number of args for printf");
        string format = Str(args[0]);
        var sb = new StringBuilder();
        int next = 1;
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length) { sb.Append(format[i]); continue; }
            char verb = format[++i];
            if (verb == '%') { sb.Append('%'); continue; }
            object? arg = next < args.Count ? args[next++] : null;
            sb.Append(verb == 'q' ? Json(Str(arg)) : verb == 'd' ? ToLong(arg).ToString(CultureInfo.InvariantCulture) : GoTemplate.Print(arg));
        }
        return sb.ToString();
    }
}
