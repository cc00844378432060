using System.Text.Json.Serialization;

namespace Berth.Core.EngineApi;

/// <summary>One event of GET /events (newline-delimited JSON); status/id/from are the legacy fields Docker still sends for containers and images.</summary>
public sealed class EventMessage
{
    /// <summary>container, image, volume, network, daemon, plugin, node, service, secret, config.</summary>
    public string Type { get; set; } = "";
    public string Action { get; set; } = "";
    public EventActor Actor { get; set; } = new();
    [JsonPropertyName("scope")] public string Scope { get; set; } = "local";
    /// <summary>Unix seconds.</summary>
    [JsonPropertyName("time")] public long Time { get; set; }
    [JsonPropertyName("timeNano")] public long TimeNano { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("from")] public string? From { get; set; }
}

/// <summary>The object an event is about and its attributes (name, image, exitCode, labels…).</summary>
public sealed class EventActor
{
    public string ID { get; set; } = "";
    public Dictionary<string, string>? Attributes { get; set; }
}
