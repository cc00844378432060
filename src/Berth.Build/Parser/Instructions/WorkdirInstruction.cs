namespace Berth.Build.Parser.Instructions;

/// <summary>WORKDIR path.</summary>
public sealed record WorkdirInstruction(string Path) : Instruction
{
    public override string Keyword => "WORKDIR";
}
