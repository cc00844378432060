using System.Globalization;

namespace Berth.Cli.Parsing;

/// <summary>The flags and positional arguments of one parsed command line.</summary>
public sealed class ParsedFlags
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Flag> _flags;

    internal ParsedFlags(Dictionary<string, Flag> flags) => _flags = flags;

    public List<string> Args { get; } = new();

    internal void Set(Flag flag, string value)
    {
        if (!_values.TryGetValue(flag.Name, out var list)) _values[flag.Name] = list = new List<string>();
        if (flag.Kind != FlagKind.List) list.Clear();
        list.Add(value);
    }

    /// <summary>True when the flag was given on the command line.</summary>
    public bool Changed(string name) => _values.ContainsKey(name);

    public bool Bool(string name)
    {
        string? v = _values.TryGetValue(name, out var l) ? l[^1] : Lookup(name).DefaultValue;
        return v is "true" or "1" or "True" or "TRUE" or "t" or "T";
    }

    public string? String(string name) => _values.TryGetValue(name, out var l) ? l[^1] : Lookup(name).DefaultValue;

    public List<string> List(string name) => _values.TryGetValue(name, out var l) ? l : new List<string>();

    /// <summary>An integer flag; a malformed value is reported as Docker's pflag does.</summary>
    public int? Int(string name)
    {
        string? v = String(name);
        if (v == null) return null;
        if (int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n)) return n;
        throw new UsageException($"invalid argument \"{v}\" for \"{Lookup(name).Display}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax");
    }

    // A command that does not declare a flag shared by a common handler (inspect --size) reads it as unset.
    private Flag Lookup(string name) => _flags.TryGetValue(name, out var f) ? f : new Flag(name, null, FlagKind.String, "");
}
