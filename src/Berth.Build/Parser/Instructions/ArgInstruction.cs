namespace Berth.Build.Parser.Instructions;

/// <summary>ARG name[=default]…</summary>
public sealed record ArgInstruction(IReadOnlyList<ArgDefinition> Args) : Instruction
{
    public override string Keyword => "ARG";
}
