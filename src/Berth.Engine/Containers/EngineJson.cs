using System.Text.Json.Serialization;

namespace Berth.Engine.Containers;

/// <summary>Source-generated JSON metadata for the engine's persisted records.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerRecord))]
[JsonSerializable(typeof(Volumes.VolumeRecord))]
[JsonSerializable(typeof(Networks.NetworkRecord))]
public partial class EngineJson : JsonSerializerContext
{
}
