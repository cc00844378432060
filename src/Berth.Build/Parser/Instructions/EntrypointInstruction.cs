namespace Berth.Build.Parser.Instructions;

/// <summary>ENTRYPOINT: the entry command, in shell form when <see cref="PrependShell"/> is set; empty clears it.</summary>
public sealed record EntrypointInstruction(IReadOnlyList<string> CommandLine, bool PrependShell) : Instruction
{
    public override string Keyword => "ENTRYPOINT";
}
