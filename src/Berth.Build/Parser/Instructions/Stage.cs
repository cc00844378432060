namespace Berth.Build.Parser.Instructions;

/// <summary>A build stage: its FROM and the instructions up to the next FROM. <see cref="Name"/> is lower-cased, null when unnamed.</summary>
public sealed record Stage(FromInstruction From, IReadOnlyList<Instruction> Instructions)
{
    public string? Name => From.StageName;
    public string BaseImage => From.Image;
    public string? Platform => From.Platform;
}
