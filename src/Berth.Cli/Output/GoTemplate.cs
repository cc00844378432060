using System.Text;
using System.Text.Json;

namespace Berth.Cli.Output;

/// <summary>A parsed --format template (Go text/template subset) executed against JSON data.</summary>
public sealed partial class GoTemplate
{
    private readonly List<TemplateNode> _nodes;

    private GoTemplate(List<TemplateNode> nodes) => _nodes = nodes;

    /// <summary>Parses a template; Docker's "\t" and "\n" escapes typed literally on the command line become tab and newline.</summary>
    public static GoTemplate Parse(string format) =>
        new(TemplateParser.Parse(format.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal)));

    /// <summary>Renders the template with <paramref name="data"/> as dot.</summary>
    public string Execute(JsonElement data)
    {
        var sb = new StringBuilder();
        var scope = new Dictionary<string, object?>(StringComparer.Ordinal) { ["$"] = Normalize(data) };
        Run(_nodes, Normalize(data), scope, sb, null);
        return sb.ToString();
    }

    /// <summary>Renders the table header row: each field action prints its column title (headers[field], else the field name in capitals).</summary>
    public string ExecuteHeader(IReadOnlyDictionary<string, string> headers)
    {
        var sb = new StringBuilder();
        Run(_nodes, null, new Dictionary<string, object?>(StringComparer.Ordinal), sb, headers);
        return sb.ToString();
    }

    private void Run(List<TemplateNode> nodes, object? dot, Dictionary<string, object?> scope, StringBuilder sb, IReadOnlyDictionary<string, string>? headers)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case TextNode t:
                    sb.Append(t.Text);
                    break;
                case ActionNode a when headers != null:
                    if (a.Pipeline.Declarations.Count == 0) sb.Append(HeaderOf(a.Pipeline, headers));
                    break;
                case ActionNode a:
                {
                    object? value = Eval(a.Pipeline, dot, scope);
                    if (a.Pipeline.Declarations.Count > 0) scope[a.Pipeline.Declarations[0]] = value;
                    else sb.Append(Print(value));
                    break;
                }
                case BlockNode b when headers != null:
                    Run(b.Body, dot, scope, sb, headers);
                    break;
                case BlockNode b:
                    RunBlock(b, dot, scope, sb);
                    break;
            }
        }
    }

    private void RunBlock(BlockNode b, object? dot, Dictionary<string, object?> scope, StringBuilder sb)
    {
        object? value = Eval(b.Pipeline, dot, scope);
        if (b.Keyword == "if")
        {
            if (b.Pipeline.Declarations.Count > 0) scope[b.Pipeline.Declarations[0]] = value;
            if (Truthy(value)) Run(b.Body, dot, scope, sb, null);
            else if (b.Else != null) Run(b.Else, dot, scope, sb, null);
            return;
        }
        if (b.Keyword == "with")
        {
            if (Truthy(value)) Run(b.Body, value, scope, sb, null);
            else if (b.Else != null) Run(b.Else, dot, scope, sb, null);
            return;
        }
        var items = new List<(object? Key, object? Value)>();
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } arr:
                int i = 0;
                foreach (var e in arr.EnumerateArray()) items.Add((i++, Normalize(e)));
                break;
            case JsonElement { ValueKind: JsonValueKind.Object } obj:
                foreach (var p in obj.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)) items.Add((p.Name, Normalize(p.Value)));
                break;
            case List<object?> list:
                for (int j = 0; j < list.Count; j++) items.Add((j, list[j]));
                break;
            case null:
                break;
            case long n:
                for (long j = 0; j < n; j++) items.Add((j, j));
                break;
            default:
                throw new TemplateException($"range can't iterate over {Print(value)}");
        }
        if (items.Count == 0)
        {
            if (b.Else != null) Run(b.Else, dot, scope, sb, null);
            return;
        }
        foreach (var (key, item) in items)
        {
            var decl = b.Pipeline.Declarations;
            if (decl.Count == 1) scope[decl[0]] = item;
            else if (decl.Count >= 2) { scope[decl[0]] = key; scope[decl[1]] = item; }
            Run(b.Body, item, scope, sb, null);
        }
    }

    private static string HeaderOf(Pipeline p, IReadOnlyDictionary<string, string> headers)
    {
        foreach (var cmd in p.Commands)
            foreach (var t in cmd)
            {
                if (t.Kind == TermKind.Field && t.Fields.Length > 0)
                    return headers.TryGetValue(t.Fields[0], out var h) ? h : DefaultHeader(t.Fields[^1]);
                if (t.Kind == TermKind.Nested && t.Inner != null) return HeaderOf(t.Inner, headers);
            }
        return "";
    }

    /// <summary>"CreatedAt" → "CREATED AT", as Docker derives a title for a field it has no title for.</summary>
    public static string DefaultHeader(string field)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < field.Length; i++)
        {
            if (i > 0 && char.IsUpper(field[i]) && char.IsLower(field[i - 1])) sb.Append(' ');
            sb.Append(char.ToUpperInvariant(field[i]));
        }
        return sb.ToString();
    }
}
