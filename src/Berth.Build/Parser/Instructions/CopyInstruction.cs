namespace Berth.Build.Parser.Instructions;

/// <summary>COPY sources… dest with --from, --chown, --chmod, --link, --exclude and --parents; values are unexpanded.</summary>
public sealed record CopyInstruction(
    IReadOnlyList<string> Sources,
    IReadOnlyList<SourceContent> SourceContents,
    string Dest,
    string? From,
    string? Chown,
    string? Chmod,
    bool Link,
    IReadOnlyList<string> Exclude,
    bool Parents) : Instruction
{
    public override string Keyword => "COPY";
}
