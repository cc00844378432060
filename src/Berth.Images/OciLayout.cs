using System.Text.Json.Serialization;

namespace Berth.Images;

/// <summary>The oci-layout file of an OCI image layout.</summary>
public sealed class OciLayout
{
    [JsonPropertyName("imageLayoutVersion")] public string ImageLayoutVersion { get; set; } = "1.0.0";
}
