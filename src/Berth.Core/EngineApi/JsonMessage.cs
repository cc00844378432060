using System.Text.Json;
using System.Text.Json.Serialization;

namespace Berth.Core.EngineApi;

/// <summary>One line of the JSON progress stream of image pull, load, import and build.</summary>
public sealed class JsonMessage
{
    [JsonPropertyName("stream")] public string? Stream { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("progress")] public string? Progress { get; set; }
    [JsonPropertyName("progressDetail")] public ProgressDetail? ProgressDetail { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("from")] public string? From { get; set; }
    [JsonPropertyName("time")] public long? Time { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("errorDetail")] public ErrorDetail? ErrorDetail { get; set; }
    /// <summary>Out-of-band data, e.g. {"ID": "sha256:…"} after a build.</summary>
    [JsonPropertyName("aux")] public JsonElement? Aux { get; set; }
}

/// <summary>Byte progress of one item in a <see cref="JsonMessage"/>.</summary>
public sealed class ProgressDetail
{
    [JsonPropertyName("current")] public long? Current { get; set; }
    [JsonPropertyName("total")] public long? Total { get; set; }
}

/// <summary>The error of a failed stream in a <see cref="JsonMessage"/>.</summary>
public sealed class ErrorDetail
{
    [JsonPropertyName("code")] public int? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}
