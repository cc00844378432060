using System.Text.Json.Serialization;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>Source-generated JSON metadata for image records and the archive formats.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(ImageConfigFile))]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(List<DockerArchiveManifestEntry>))]
[JsonSerializable(typeof(OciLayout))]
[JsonSerializable(typeof(List<string>))]
internal partial class ImagesJson : JsonSerializerContext
{
}
