namespace Berth.Cli.Commands;

/// <summary>Parses repeated --filter key=value flags into the map the Engine API takes.</summary>
internal static class Filters
{
    public static Dictionary<string, List<string>>? Parse(IEnumerable<string> entries)
    {
        Dictionary<string, List<string>>? map = null;
        foreach (var e in entries)
        {
            int eq = e.IndexOf('=');
            if (eq <= 0) throw new Parsing.UsageException($"invalid argument \"{e}\" for \"-f, --filter\" flag: bad format of filter (expected name=value)");
            map ??= new Dictionary<string, List<string>>(StringComparer.Ordinal);
            string key = e[..eq].Trim().ToLowerInvariant();
            if (!map.TryGetValue(key, out var list)) map[key] = list = new List<string>();
            list.Add(e[(eq + 1)..]);
        }
        return map;
    }
}
