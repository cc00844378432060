using Berth.Network.Addressing;

namespace Berth.Network.Firewall;

/// <summary>One bridge network as the firewall sees it.</summary>
/// <param name="Internal">An internal network (--internal): no masquerade, nothing in or out except between its own containers.</param>
public sealed record BridgeNetwork(string BridgeName, Subnet Subnet, bool Internal = false);
