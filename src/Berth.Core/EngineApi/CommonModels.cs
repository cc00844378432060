using System.Text.Json.Serialization;

namespace Berth.Core.EngineApi;

/// <summary>The error body every failing Engine API call returns: {"message": "..."}.</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")] public string Message { get; set; } = "";
}

/// <summary>A response carrying only the ID of a created object (exec create, image bootstrap).</summary>
public sealed class IdResponse
{
    public string Id { get; set; } = "";
}

/// <summary>An empty JSON object, the value type of ExposedPorts and Volumes maps ({"80/tcp": {}}).</summary>
public sealed class EmptyObject
{
}

/// <summary>Registry credentials, sent base64url-encoded in the X-Registry-Auth header.</summary>
public sealed class AuthConfig
{
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("auth")] public string? Auth { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("serveraddress")] public string? ServerAddress { get; set; }
    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; set; }
    [JsonPropertyName("registrytoken")] public string? RegistryToken { get; set; }
}

/// <summary>The answer of POST /auth.</summary>
public sealed class AuthResponse
{
    public string Status { get; set; } = "";
    public string? IdentityToken { get; set; }
}

/// <summary>An OCI descriptor as the Engine API embeds it (ImageManifestDescriptor, image Descriptor).</summary>
public sealed class OciDescriptor
{
    [JsonPropertyName("mediaType")] public string? MediaType { get; set; }
    [JsonPropertyName("digest")] public string? Digest { get; set; }
    [JsonPropertyName("size")] public long Size { get; set; }
    [JsonPropertyName("urls")] public List<string>? Urls { get; set; }
    [JsonPropertyName("annotations")] public Dictionary<string, string>? Annotations { get; set; }
    [JsonPropertyName("platform")] public OciPlatform? Platform { get; set; }
    [JsonPropertyName("artifactType")] public string? ArtifactType { get; set; }
}

/// <summary>The platform of an <see cref="OciDescriptor"/>.</summary>
public sealed class OciPlatform
{
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }
    [JsonPropertyName("os")] public string? Os { get; set; }
    [JsonPropertyName("os.version")] public string? OsVersion { get; set; }
    [JsonPropertyName("os.features")] public List<string>? OsFeatures { get; set; }
    [JsonPropertyName("variant")] public string? Variant { get; set; }
}

/// <summary>The storage driver and its data (GraphDriver in container and image inspect).</summary>
public sealed class DriverData
{
    public string Name { get; set; } = "";
    public Dictionary<string, string>? Data { get; set; }
}
