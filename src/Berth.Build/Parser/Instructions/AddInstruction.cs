namespace Berth.Build.Parser.Instructions;

/// <summary>ADD sources… dest with --chown, --chmod, --link, --keep-git-dir, --checksum, --unpack and --exclude; values are unexpanded.</summary>
public sealed record AddInstruction(
    IReadOnlyList<string> Sources,
    IReadOnlyList<SourceContent> SourceContents,
    string Dest,
    string? Chown,
    string? Chmod,
    bool Link,
    bool? KeepGitDir,
    string? Checksum,
    bool? Unpack,
    IReadOnlyList<string> Exclude) : Instruction
{
    public override string Keyword => "ADD";
}
