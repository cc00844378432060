using System.Security.Cryptography;

namespace Berth.Network.Tests;

/// <summary>Unique names for links, namespaces and tables so tests never touch real Berth objects.</summary>
internal static class TestNames
{
    public static string Hex(int count) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((count + 1) / 2))[..count];

    /// <summary>"bt" + 6 hex: the bridge/veth prefix only these tests use.</summary>
    public static string Link() => "bt" + Hex(6);
}
