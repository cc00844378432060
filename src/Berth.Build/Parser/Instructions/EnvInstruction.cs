namespace Berth.Build.Parser.Instructions;

/// <summary>ENV key=value pairs (or the legacy "ENV key value").</summary>
public sealed record EnvInstruction(IReadOnlyList<KeyValue> Pairs) : Instruction
{
    public override string Keyword => "ENV";
}
