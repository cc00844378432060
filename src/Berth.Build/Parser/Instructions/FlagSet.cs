namespace Berth.Build.Parser.Instructions;

/// <summary>The --flags an instruction accepts, parsed with BuildKit's rules (bool flags take an optional =true/false; string lists repeat).</summary>
internal sealed class FlagSet(IReadOnlyList<string> args)
{
    private enum Kind { Bool, String, Strings }

    private sealed class Flag(Kind kind)
    {
        public Kind Kind { get; } = kind;
        public string? Value { get; set; }
        public List<string> Values { get; } = [];
        public bool Used { get; set; }
    }

    private readonly Dictionary<string, Flag> _flags = [];

    public void AddBool(string name) => _flags[name] = new Flag(Kind.Bool);
    public void AddString(string name) => _flags[name] = new Flag(Kind.String);
    public void AddStrings(string name) => _flags[name] = new Flag(Kind.Strings);

    public bool IsUsed(string name) => _flags[name].Used;
    public string? String(string name) => _flags[name].Value;
    public bool Bool(string name) => _flags[name].Value == "true";
    public bool? OptionalBool(string name) => _flags[name].Used ? _flags[name].Value == "true" : null;
    public IReadOnlyList<string> Strings(string name) => _flags[name].Values;

    /// <exception cref="InstructionException">An unknown, repeated or malformed flag.</exception>
    public void Parse()
    {
        foreach (var a in args)
        {
            if (a == "--") return;
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new InstructionException($"arg should start with -- : {a}");
            int eq = a.IndexOf('=');
            string flagName = eq < 0 ? a : a[..eq];
            string value = eq < 0 ? "" : a[(eq + 1)..];
            bool hasValue = eq >= 0;
            string name = flagName[2..];
            if (!_flags.TryGetValue(name, out var flag))
                throw new InstructionException($"unknown flag: {flagName}" + Suggest(name));
            if (flag.Used && flag.Kind != Kind.Strings) throw new InstructionException($"duplicate flag specified: {flagName}");
            flag.Used = true;
            switch (flag.Kind)
            {
                case Kind.Bool:
                    if (hasValue && value.Length == 0) throw new InstructionException($"missing a value on flag: {flagName}");
                    flag.Value = value.ToLowerInvariant() switch
                    {
                        "true" or "" => "true",
                        "false" => "false",
                        _ => throw new InstructionException($"expecting boolean value for flag {flagName}, not: {value}"),
                    };
                    break;
                case Kind.String:
                    if (!hasValue) throw new InstructionException($"missing a value on flag: {flagName}");
                    flag.Value = value;
                    break;
                case Kind.Strings:
                    if (!hasValue) throw new InstructionException($"missing a value on flag: {flagName}");
                    flag.Values.Add(value);
                    break;
            }
        }
    }

    private string Suggest(string name)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in _flags.Keys)
        {
            int d = Levenshtein(name.ToLowerInvariant(), candidate);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.Max(2, name.Length / 3) ? $" (did you mean {best}?)" : "";
    }

    internal static int Levenshtein(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}

/// <summary>An instruction-level error; the parser adds file and line.</summary>
internal sealed class InstructionException(string message) : Exception(message);
