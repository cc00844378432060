namespace Berth.Build.Planning;

/// <summary>The ARGs a stage has declared so far, in declaration order, with their values (null: declared without a value).</summary>
public sealed class StageArgs
{
    private readonly List<string> _order = new();
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);

    public void Set(string name, string? value)
    {
        if (!_values.ContainsKey(name)) _order.Add(name);
        _values[name] = value;
    }

    /// <summary>Declared ARGs that have a value, in declaration order.</summary>
    public IEnumerable<KeyValuePair<string, string>> WithValues() =>
        _order.Where(n => _values[n] != null).Select(n => new KeyValuePair<string, string>(n, _values[n]!));

    /// <summary>The environment words expand with: ARG values, overridden by ENV (<paramref name="env"/> wins).</summary>
    public Dictionary<string, string> ExpansionEnv(IEnumerable<string>? env)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in WithValues()) result[k] = v;
        foreach (var kv in env ?? Array.Empty<string>())
        {
            int eq = kv.IndexOf('=');
            if (eq > 0) result[kv[..eq]] = kv[(eq + 1)..];
        }
        return result;
    }
}
