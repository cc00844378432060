namespace Berth.Network.Addressing;

/// <summary>The persistable form of an <see cref="Ipam"/>: addresses as strings, for the engine's metadata store.</summary>
/// <param name="Next">Where the next automatic allocation starts searching (keeps released addresses cold).</param>
public sealed record IpamState(string Subnet, string Gateway, string? IpRange, string[] Allocated, string? Next = null);
