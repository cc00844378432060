namespace Berth.Build.Parser;

/// <summary>A non-fatal finding of the parser, such as an empty continuation line.</summary>
public sealed record ParseWarning(string Short, string Detail, string Url, int Line);
