using Berth.Core;

namespace Berth.Distribution;

/// <summary>A manifest or index as fetched from a registry: its bytes, media type and (verified) digest.</summary>
public sealed record ManifestResponse(byte[] Body, string MediaType, Digest Digest)
{
    public bool IsIndex => MediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList;
}
