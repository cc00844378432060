namespace Berth.Build.Parser;

/// <summary>A parser directive (<c># syntax=</c>, <c># escape=</c>, <c># check=</c>) from the top of a Dockerfile.</summary>
public sealed record ParserDirective(string Name, string Value, int Line);
