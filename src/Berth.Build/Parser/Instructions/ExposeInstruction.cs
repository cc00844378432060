namespace Berth.Build.Parser.Instructions;

/// <summary>EXPOSE port[/proto]…, sorted as BuildKit sorts them.</summary>
public sealed record ExposeInstruction(IReadOnlyList<string> Ports) : Instruction
{
    public override string Keyword => "EXPOSE";
}
