namespace Berth.Build.Parser.Instructions;

/// <summary>A typed Dockerfile instruction with its source location.</summary>
public abstract record Instruction
{
    /// <summary>The keyword in upper case, e.g. "RUN".</summary>
    public abstract string Keyword { get; }

    /// <summary>First source line (1-based).</summary>
    public int StartLine { get; init; }

    /// <summary>Last source line (1-based), including here-documents.</summary>
    public int EndLine { get; init; }

    /// <summary>The logical source line, continuations joined.</summary>
    public string Original { get; init; } = "";
}
