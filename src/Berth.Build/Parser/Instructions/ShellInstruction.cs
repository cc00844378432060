namespace Berth.Build.Parser.Instructions;

/// <summary>SHELL ["executable", "args"…] (JSON form only).</summary>
public sealed record ShellInstruction(IReadOnlyList<string> Shell) : Instruction
{
    public override string Keyword => "SHELL";
}
