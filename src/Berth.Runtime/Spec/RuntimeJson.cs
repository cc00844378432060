using System.Text.Json.Serialization;

namespace Berth.Runtime.Spec;

/// <summary>Source-generated JSON metadata for the runtime's spec and state files.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerSpec))]
public partial class RuntimeJson : JsonSerializerContext
{
}
