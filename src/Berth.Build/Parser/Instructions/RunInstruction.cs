namespace Berth.Build.Parser.Instructions;

/// <summary>RUN: the command (shell form when <see cref="PrependShell"/>), its --mount, --network, --security and --device flags, and here-documents.</summary>
public sealed record RunInstruction(
    IReadOnlyList<string> CommandLine,
    bool PrependShell,
    IReadOnlyList<RunMount> Mounts,
    IReadOnlyList<string> MountSpecs,
    string Network,
    string Security,
    IReadOnlyList<string> Devices,
    IReadOnlyList<Heredoc> Heredocs) : Instruction
{
    public override string Keyword => "RUN";

    /// <summary>Whether the command was written in JSON (exec) form.</summary>
    public bool IsJson => !PrependShell;
}
