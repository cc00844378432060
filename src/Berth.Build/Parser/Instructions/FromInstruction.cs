namespace Berth.Build.Parser.Instructions;

/// <summary>FROM image [AS name] with an optional --platform; values are unexpanded (they may reference meta ARGs).</summary>
public sealed record FromInstruction(string Image, string? StageName, string? Platform) : Instruction
{
    public override string Keyword => "FROM";
}
