namespace Berth.Build.Parser.Instructions;

/// <summary>VOLUME paths, from a list or a JSON array.</summary>
public sealed record VolumeInstruction(IReadOnlyList<string> Paths) : Instruction
{
    public override string Keyword => "VOLUME";
}
