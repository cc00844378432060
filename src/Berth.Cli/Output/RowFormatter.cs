using System.Text;
using System.Text.Json;

namespace Berth.Cli.Output;

/// <summary>Renders list output as Docker does: the default table, "table …" templates with a header row, "json", or a raw template per row.</summary>
public static class RowFormatter
{
    /// <summary>Renders rows; <paramref name="format"/> empty means the default table.</summary>
    public static string Render(string? format, string defaultTableFormat, IReadOnlyList<JsonElement> rows, IReadOnlyDictionary<string, string> headers)
    {
        format = string.IsNullOrEmpty(format) || format == "table" ? defaultTableFormat : format;
        if (format == "json") format = "{{json .}}";
        bool table = format.StartsWith("table", StringComparison.Ordinal) && (format.Length == 5 || char.IsWhiteSpace(format[5]));
        if (table)
        {
            var template = GoTemplate.Parse(format[5..].TrimStart(' '));
            var lines = new List<string>();
            AddLines(lines, template.ExecuteHeader(headers));
            foreach (var row in rows) AddLines(lines, template.Execute(row));
            return TabWriter.Align(lines);
        }
        var raw = GoTemplate.Parse(format);
        var sb = new StringBuilder();
        foreach (var row in rows) sb.Append(raw.Execute(row)).Append('\n');
        return sb.ToString();
    }

    /// <summary>True when the format asks for the raw form (no table) — ps -q style callers use it to skip headers.</summary>
    public static bool IsTable(string? format) => string.IsNullOrEmpty(format) || format.StartsWith("table", StringComparison.Ordinal);

    private static void AddLines(List<string> lines, string text)
    {
        if (text.EndsWith('\n')) text = text[..^1];
        lines.AddRange(text.Split('\n'));
    }

    /// <summary>Builds the JSON object a row template sees, keys sorted as Go marshals its map.</summary>
    public static JsonElement Object(IEnumerable<KeyValuePair<string, string>> fields)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            foreach (var (k, v) in fields.OrderBy(f => f.Key, StringComparer.Ordinal)) w.WriteString(k, v);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(ms.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>Prints JSON indented by 4 spaces, as docker inspect does.</summary>
    public static string Indented(JsonElement element)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 4,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
            element.WriteTo(w);
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
