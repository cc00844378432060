namespace Berth.Build.Parser;

/// <summary>The result of parsing a Dockerfile: the root node whose Children are the instructions, plus directives and warnings.</summary>
public sealed record DockerfileAst(
    string FileName,
    Node Root,
    char EscapeToken,
    IReadOnlyList<ParserDirective> Directives,
    IReadOnlyList<ParseWarning> Warnings)
{
    /// <summary>The instructions in file order.</summary>
    public IReadOnlyList<Node> Instructions => Root.Children;

    /// <summary>BuildKit's dump of the tree, one instruction per line, with a final newline.</summary>
    public string Dump() => Root.Dump() + "\n";
}
