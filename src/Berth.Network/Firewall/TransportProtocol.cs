namespace Berth.Network.Firewall;

/// <summary>The transport protocol of a published port.</summary>
public enum TransportProtocol
{
    Tcp,
    Udp,
}
