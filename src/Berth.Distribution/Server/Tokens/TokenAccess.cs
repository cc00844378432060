namespace Berth.Distribution;

/// <summary>One entry of a token's <c>access</c> claim, or one requested scope: actions on a typed, named resource.</summary>
internal sealed record TokenAccess(string Type, string Name, IReadOnlyList<string> Actions)
{
    /// <summary>Parses a scope, <c>type[(class)]:name:action,action</c>; the name may hold colons (a host:port prefix).</summary>
    public static TokenAccess ParseScope(string scope)
    {
        int first = scope.IndexOf(':'), last = scope.LastIndexOf(':');
        if (first <= 0 || last == first)
            throw new FormatException($"invalid scope \"{scope}\": expected type:name:actions");
        string type = scope[..first];
        int paren = type.IndexOf('(');
        if (paren > 0 && type.EndsWith(')')) type = type[..paren];
        string name = scope[(first + 1)..last];
        if (name.Length == 0) throw new FormatException($"invalid scope \"{scope}\": the resource name is empty");
        var actions = scope[(last + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (actions.Length == 0) throw new FormatException($"invalid scope \"{scope}\": no actions");
        return new TokenAccess(type, name, actions.Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Splits the scope parameters of a request (repeated, and each possibly space-separated) into entries.</summary>
    public static List<TokenAccess> ParseScopes(IEnumerable<string?> values)
    {
        var all = new List<TokenAccess>();
        foreach (var value in values)
            foreach (var scope in (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                all.Add(ParseScope(scope));
        return all;
    }

    public bool Allows(string type, string name, string action) =>
        Type == type && Name == name && Actions.Contains(action, StringComparer.Ordinal);

    public override string ToString() => $"{Type}:{Name}:{string.Join(',', Actions)}";
}
