using System.Text.Json.Serialization;

namespace Berth.Engine.Build;

/// <summary>A cached step: the image it produced. Stored under its cache key's digest.</summary>
public sealed class BuildCacheRecord
{
    [JsonPropertyName("image")] public string Image { get; set; } = "";
}

/// <summary>The last key a step of a named build had, so a miss can say what changed.</summary>
public sealed class BuildStepRecord
{
    [JsonPropertyName("parent")] public string Parent { get; set; } = "";
    [JsonPropertyName("instruction")] public string Instruction { get; set; } = "";
    [JsonPropertyName("args")] public Dictionary<string, string> Args { get; set; } = new();
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("files")] public Dictionary<string, string>? Files { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildCacheRecord))]
[JsonSerializable(typeof(BuildStepRecord))]
internal partial class BuildJson : JsonSerializerContext
{
}
