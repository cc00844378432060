namespace Berth.Build.Parser.Instructions;

/// <summary>ONBUILD trigger: <see cref="Expression"/> is the trigger's source text; <see cref="Trigger"/> its parsed form.</summary>
public sealed record OnbuildInstruction(string Expression, Instruction Trigger) : Instruction
{
    public override string Keyword => "ONBUILD";
}
