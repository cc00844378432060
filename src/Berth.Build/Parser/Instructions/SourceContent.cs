namespace Berth.Build.Parser.Instructions;

/// <summary>A COPY/ADD source given inline as a here-document: the file name, its content, and whether to expand variables in it.</summary>
public sealed record SourceContent(string Path, string Data, bool Expand);
