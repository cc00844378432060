namespace Berth.Build.Parser.Instructions;

/// <summary>MAINTAINER text (deprecated, still accepted).</summary>
public sealed record MaintainerInstruction(string Maintainer) : Instruction
{
    public override string Keyword => "MAINTAINER";
}
