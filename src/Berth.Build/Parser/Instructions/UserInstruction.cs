namespace Berth.Build.Parser.Instructions;

/// <summary>USER user[:group].</summary>
public sealed record UserInstruction(string User) : Instruction
{
    public override string Keyword => "USER";
}
