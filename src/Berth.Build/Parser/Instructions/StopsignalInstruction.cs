namespace Berth.Build.Parser.Instructions;

/// <summary>STOPSIGNAL signal.</summary>
public sealed record StopsignalInstruction(string Signal) : Instruction
{
    public override string Keyword => "STOPSIGNAL";
}
