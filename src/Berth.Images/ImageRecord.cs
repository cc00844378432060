using System.Text.Json.Serialization;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>An image known to the store: ID (config digest), names, size and config.</summary>
public sealed class ImageRecord
{
    /// <summary>"sha256:&lt;hex&gt;", the digest of the config blob.</summary>
    [JsonPropertyName("id")] public string Id { get; set; } = "";
    [JsonPropertyName("manifestDigest")] public string ManifestDigest { get; set; } = "";
    /// <summary>Familiar names such as "busybox:latest" or "localhost:5000/app:v1".</summary>
    [JsonPropertyName("repoTags")] public List<string> RepoTags { get; set; } = new();
    /// <summary>Familiar digested names such as "busybox@sha256:…".</summary>
    [JsonPropertyName("repoDigests")] public List<string> RepoDigests { get; set; } = new();
    [JsonPropertyName("created")] public DateTimeOffset Created { get; set; }
    /// <summary>Sum of the unpacked layer sizes in bytes.</summary>
    [JsonPropertyName("size")] public long Size { get; set; }
    /// <summary>ChainID of the top layer; null for an image without layers.</summary>
    [JsonPropertyName("chainId")] public string? ChainId { get; set; }
    /// <summary>The image a build step made this one from; null for pulled, loaded and imported images.</summary>
    [JsonPropertyName("parent")] public string? Parent { get; set; }
    [JsonPropertyName("config")] public ImageConfigFile Config { get; set; } = new();
}
