namespace Berth.Build.Parser.Instructions;

/// <summary>LABEL key=value pairs.</summary>
public sealed record LabelInstruction(IReadOnlyList<KeyValue> Pairs) : Instruction
{
    public override string Keyword => "LABEL";
}
