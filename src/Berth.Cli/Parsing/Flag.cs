namespace Berth.Cli.Parsing;

/// <summary>What a flag takes: nothing (bool), one value, or a value per repetition (list).</summary>
public enum FlagKind
{
    Bool,
    String,
    List,
}

/// <summary>One command-line flag as pflag defines it: long name, optional one-letter shorthand, kind, help text.</summary>
public sealed class Flag
{
    public Flag(string name, char? shorthand, FlagKind kind, string usage, string? defaultValue = null, string? typeName = null, bool hidden = false)
    {
        Name = name;
        Shorthand = shorthand;
        Kind = kind;
        Usage = usage;
        DefaultValue = defaultValue;
        TypeName = typeName ?? kind switch { FlagKind.List => "list", FlagKind.String => "string", _ => "" };
        Hidden = hidden;
    }

    public string Name { get; }
    public char? Shorthand { get; }
    public FlagKind Kind { get; }
    public string Usage { get; }
    public string? DefaultValue { get; }
    /// <summary>The value type shown in help ("string", "list", "int", "bytes", "duration", "decimal").</summary>
    public string TypeName { get; }
    public bool Hidden { get; }

    /// <summary>"-t, --time" or "--rm", as Docker names a flag in errors.</summary>
    public string Display => Shorthand is { } s ? $"-{s}, --{Name}" : "--" + Name;
}
