namespace Berth.Build.Parser.Instructions;

/// <summary>One ENV or LABEL pair as written (quotes kept); <see cref="NoDelimiter"/> marks the legacy "KEY value" form.</summary>
public sealed record KeyValue(string Key, string Value, bool NoDelimiter);
