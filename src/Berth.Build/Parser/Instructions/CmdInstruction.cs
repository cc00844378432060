namespace Berth.Build.Parser.Instructions;

/// <summary>CMD: the default command, in shell form when <see cref="PrependShell"/> is set.</summary>
public sealed record CmdInstruction(IReadOnlyList<string> CommandLine, bool PrependShell) : Instruction
{
    public override string Keyword => "CMD";
}
