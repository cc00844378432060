namespace Berth.Storage;

/// <summary>A container's writable layer: overlay upper and work dirs over read-only lower dirs (topmost first).</summary>
public sealed record RwLayer(string Key, string? ChainId, string UpperDir, string WorkDir, IReadOnlyList<string> LowerDirs);
