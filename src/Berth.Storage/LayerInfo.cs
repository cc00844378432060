namespace Berth.Storage;

/// <summary>An unpacked layer: its DiffID (sha256 of the uncompressed tar), ChainID and unpacked size in bytes.</summary>
public sealed record LayerInfo(string DiffId, string ChainId, long Size);
