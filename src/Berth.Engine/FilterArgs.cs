using System.Text.Json;
using Berth.Core;

namespace Berth.Engine;

/// <summary>Docker's <c>filters</c> query parameter: <c>{"key":["v1","v2"]}</c> or the older <c>{"key":{"v1":true}}</c>.</summary>
public static class FilterArgs
{
    public static Dictionary<string, List<string>> Parse(string? json)
    {
        var result = new Dictionary<string, List<string>>();
        if (string.IsNullOrWhiteSpace(json)) return result;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw BerthException.Invalid($"invalid filters: expected a JSON object, got {json}");
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                var list = new List<string>();
                if (prop.Value.ValueKind == JsonValueKind.Array)
                    list.AddRange(prop.Value.EnumerateArray().Select(e => e.GetString() ?? ""));
                else if (prop.Value.ValueKind == JsonValueKind.Object)
                    list.AddRange(prop.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.True).Select(p => p.Name));
                else
                    throw BerthException.Invalid($"invalid filter '{prop.Name}': expected a list of values");
                result[prop.Name] = list;
            }
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"invalid filters JSON: {e.Message}");
        }
        return result;
    }

    /// <summary>Rejects filter keys outside <paramref name="allowed"/>, naming the first unknown one.</summary>
    public static void Validate(Dictionary<string, List<string>> filters, params string[] allowed)
    {
        foreach (var key in filters.Keys)
            if (!allowed.Contains(key)) throw BerthException.Invalid($"invalid filter '{key}'");
    }
}
