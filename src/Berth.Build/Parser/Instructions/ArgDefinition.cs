namespace Berth.Build.Parser.Instructions;

/// <summary>One ARG name with its default value, null when none was given.</summary>
public sealed record ArgDefinition(string Name, string? Default);
