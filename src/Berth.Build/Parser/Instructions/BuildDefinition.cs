namespace Berth.Build.Parser.Instructions;

/// <summary>A whole Dockerfile in typed form: the ARGs before the first FROM, then the stages in order.</summary>
public sealed record BuildDefinition(IReadOnlyList<ArgInstruction> MetaArgs, IReadOnlyList<Stage> Stages, char EscapeToken);
