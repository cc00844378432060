using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Berth.Cli.Output;

public sealed partial class GoTemplate
{
    // Values are null, string, bool, long, double, List<object?> or a JsonElement (number, object, array).
    private static object? Normalize(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e,
    };

    private object? Eval(Pipeline p, object? dot, Dictionary<string, object?> scope)
    {
        object? piped = null;
        bool hasPiped = false;
        foreach (var cmd in p.Commands)
        {
            piped = EvalCommand(cmd, dot, scope, hasPiped, piped);
            hasPiped = true;
        }
        return piped;
    }

    private object? EvalCommand(List<Term> cmd, object? dot, Dictionary<string, object?> scope, bool hasPiped, object? piped)
    {
        var head = cmd[0];
        if (head.Kind == TermKind.Function)
        {
            var args = new List<object?>();
            for (int i = 1; i < cmd.Count; i++) args.Add(EvalTerm(cmd[i], dot, scope));
            if (hasPiped) args.Add(piped);
            return TemplateFunctions.Call(head.Name, args);
        }
        if (head.Kind == TermKind.Field && head.Fields.Length > 0 && head.Fields[^1] == "Label" && cmd.Count == 2 && !hasPiped)
            return Label(Walk(dot, head.Fields[..^1]), EvalTerm(cmd[1], dot, scope));
        if (cmd.Count > 1 || hasPiped) throw new TemplateException("can't give argument to non-function");
        return EvalTerm(head, dot, scope);
    }

    private object? EvalTerm(Term t, object? dot, Dictionary<string, object?> scope) => t.Kind switch
    {
        TermKind.Literal => t.Literal,
        TermKind.Field => Walk(dot, t.Fields),
        TermKind.Variable => scope.TryGetValue(t.Name, out var v) ? Walk(v, t.Fields) : throw new TemplateException($"undefined variable \"{t.Name}\""),
        TermKind.Nested => t.Fields.Length == 0 ? Eval(t.Inner!, dot, scope) : Walk(Eval(t.Inner!, dot, scope), t.Fields),
        TermKind.Function => TemplateFunctions.Call(t.Name, new List<object?>()),
        _ => null,
    };

    // Docker's {{.Label "key"}} method on list rows, whose Labels field is "k=v,k2=v2".
    private static object? Label(object? row, object? key)
    {
        if (row is not JsonElement { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty("Labels", out var labels)) return null;
        string wanted = GoTemplate.Print(key) + "=";
        if (labels.ValueKind == JsonValueKind.Object)
            return labels.TryGetProperty(GoTemplate.Print(key), out var v) ? Normalize(v) : "";
        foreach (var pair in (labels.GetString() ?? "").Split(','))
            if (pair.StartsWith(wanted, StringComparison.Ordinal)) return pair[wanted.Length..];
        return "";
    }

    private static object? Walk(object? value, string[] fields)
    {
        foreach (var f in fields)
        {
            if (f.Length == 0) continue;
            if (value is JsonElement { ValueKind: JsonValueKind.Object } obj)
            {
                if (obj.TryGetProperty(f, out var child)) { value = Normalize(child); continue; }
                // Go matches struct fields by exact name; JSON names sometimes differ only in case.
                value = null;
                foreach (var p in obj.EnumerateObject())
                    if (string.Equals(p.Name, f, StringComparison.OrdinalIgnoreCase)) { value = Normalize(p.Value); break; }
                continue;
            }
            if (value == null) return null;
            throw new TemplateException($"can't evaluate field {f} in type {TypeName(value)}");
        }
        return value;
    }

    internal static string TypeName(object? v) => v switch
    {
        null => "<nil>",
        string => "string",
        bool => "bool",
        long => "int",
        double => "float64",
        List<object?> => "[]string",
        JsonElement { ValueKind: JsonValueKind.Array } => "[]interface {}",
        JsonElement { ValueKind: JsonValueKind.Object } => "map[string]interface {}",
        JsonElement => "float64",
        _ => v.GetType().Name,
    };

    internal static bool Truthy(object? v) => v switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long n => n != 0,
        double d => d != 0,
        List<object?> l => l.Count > 0,
        JsonElement { ValueKind: JsonValueKind.Array } a => a.GetArrayLength() > 0,
        JsonElement { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Any(),
        JsonElement { ValueKind: JsonValueKind.Number } n => n.GetDouble() != 0,
        _ => true,
    };

    /// <summary>Prints a value as Go's fmt %v does: maps as map[k:v], slices as [a b], nil as &lt;no value&gt;.</summary>
    internal static string Print(object? v)
    {
        var sb = new StringBuilder();
        Print(v, sb, top: true);
        return sb.ToString();
    }

    private static void Print(object? v, StringBuilder sb, bool top)
    {
        switch (v)
        {
            case null: sb.Append(top ? "<no value>" : "<nil>"); break;
            case string s: sb.Append(s); break;
            case bool b: sb.Append(b ? "true" : "false"); break;
            case long n: sb.Append(n.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case List<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++) { if (i > 0) sb.Append(' '); Print(list[i], sb, false); }
                sb.Append(']');
                break;
            case JsonElement { ValueKind: JsonValueKind.Array } arr:
                sb.Append('[');
                bool first = true;
                foreach (var e in arr.EnumerateArray()) { if (!first) sb.Append(' '); first = false; Print(Normalize(e), sb, false); }
                sb.Append(']');
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                sb.Append("map[");
                bool firstKey = true;
                foreach (var p in obj.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!firstKey) sb.Append(' ');
                    firstKey = false;
                    sb.Append(p.Name).Append(':');
                    Print(Normalize(p.Value), sb, false);
                }
                sb.Append(']');
                break;
            case JsonElement e: sb.Append(e.GetRawText()); break;
            default: sb.Append(v); break;
        }
    }
}
