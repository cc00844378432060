using System.Text.Json.Serialization;
using Berth.Network.Addressing;

namespace Berth.Network;

/// <summary>Source-generated JSON for the network types the engine persists.</summary>
[JsonSerializable(typeof(IpamState))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
public sealed partial class NetworkJson : JsonSerializerContext;
