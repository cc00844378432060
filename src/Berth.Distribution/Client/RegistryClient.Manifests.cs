using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution;

public sealed partial class RegistryClient
{
    private static readonly string[] ManifestAccept =
        { MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest };

    /// <summary>Fetches a manifest or index by tag or digest; its digest is checked against the reference or Docker-Content-Digest.</summary>
    public async Task<ManifestResponse> GetManifestAsync(string registry, string repository, string reference, CancellationToken ct = default)
    {
        using var res = await SendAsync(registry, repository, "pull", b =>
        {
            var req = new HttpRequestMessage(HttpMethod.Get, new Uri(b, $"/v2/{repository}/manifests/{reference}"));
            foreach (var mt in ManifestAccept) req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mt));
            return req;
        }, ct).ConfigureAwait(false);
        if (!res.IsSuccessStatusCode)
        {
            var error = await ErrorAsync(registry, res, ct).ConfigureAwait(false);
            if (res.StatusCode == HttpStatusCode.NotFound)
                throw BerthException.NotFound($"manifest for {registry}/{repository}:{reference} not found: manifest unknown ({error.Message})");
            throw error;
        }
        if (res.Content.Headers.ContentLength > 4 << 20)
            throw BerthException.Invalid($"registry {registry}: manifest {repository}:{reference} is larger than 4 MiB");
        byte[] body = await res.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var digest = Digest.Sha256(body);
        if (Digest.TryParse(reference, out var wanted))
        {
            if (wanted != digest) throw BerthException.Invalid($"registry {registry}: manifest {repository}@{wanted} has content digest {digest}");
        }
        else if (res.Headers.TryGetValues("Docker-Content-Digest", out var hv) && Digest.TryParse(hv.FirstOrDefault(), out var said)
                 && said.Algorithm == "sha256" && said != digest)
        {
            throw BerthException.Invalid($"registry {registry}: manifest {repository}:{reference} claims digest {said} but has {digest}");
        }
        string mediaType = res.Content.Headers.ContentType?.MediaType ?? "";
        if (Array.IndexOf(ManifestAccept, mediaType) < 0) mediaType = DeclaredMediaType(body) ?? mediaType;
        if (Array.IndexOf(ManifestAccept, mediaType) < 0)
            throw BerthException.Invalid($"registry {registry}: manifest {repository}:{reference} has unsupported media type \"{mediaType}\"");
        return new ManifestResponse(body, mediaType, digest);
    }

    /// <summary>Uploads a manifest under a tag or digest reference; returns the digest the registry reports.</summary>
    public async Task<Digest> PutManifestAsync(string registry, string repository, string reference, byte[] body, string mediaType, CancellationToken ct = default)
    {
        using var res = await SendAsync(registry, repository, "pull,push", b =>
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return new HttpRequestMessage(HttpMethod.Put, new Uri(b, $"/v2/{repository}/manifests/{reference}")) { Content = content };
        }, ct).ConfigureAwait(false);
        if (!res.IsSuccessStatusCode) throw await ErrorAsync(registry, res, ct).ConfigureAwait(false);
        var digest = Digest.Sha256(body);
        if (res.Headers.TryGetValues("Docker-Content-Digest", out var hv) && Digest.TryParse(hv.FirstOrDefault(), out var said) && said != digest)
            throw BerthException.Invalid($"registry {registry}: stored manifest {repository}:{reference} as {said}, expected {digest}");
        return digest;
    }

    internal static string? DeclaredMediaType(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String)
                return mt.GetString();
            // An OCI manifest may omit mediaType; its shape tells.
            if (doc.RootElement.TryGetProperty("manifests", out _)) return MediaTypes.OciIndex;
            if (doc.RootElement.TryGetProperty("config", out _)) return MediaTypes.OciManifest;
        }
        catch (JsonException)
        {
        }
        return null;
    }
}
