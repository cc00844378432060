namespace Berth.Build.Shell;

/// <summary>The outcome of expanding one shell word: the text, its split words, and the variables used or missing.</summary>
public sealed record ShellWordResult(
    string Result,
    IReadOnlyList<string> Words,
    IReadOnlySet<string> Matched,
    IReadOnlySet<string> Unmatched);
