using System.Security.Cryptography;
using System.Text.Json;
using Berth.Core;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution;

internal sealed partial class RegistryEndpoints
{
    /// <summary>The image spec's non-distributable layer types: <c>…nondistributable.v1.tar</c>, <c>+gzip</c>, <c>+zstd</c>.</summary>
    private const string NonDistributableLayerPrefix = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    private const string OnlySha256 = "this registry stores only sha256 content";

    private static readonly string[] ManifestMediaTypes =
        { MediaTypes.OciManifest, MediaTypes.OciIndex, MediaTypes.DockerManifest, MediaTypes.DockerManifestList };

    private async Task GetManifestAsync(HttpContext ctx, RegistryRoute route)
    {
        var (d, mediaType) = ResolveManifest(route.Name, route.Argument);
        byte[] body = _storage.Blobs.ReadAllBytes(d);
        var res = ctx.Response;
        res.StatusCode = 200;
        res.ContentType = mediaType;
        res.ContentLength = body.Length;
        res.Headers["Docker-Content-Digest"] = d.ToString();
        res.Headers.ETag = "\"" + d + "\"";
        if (ctx.Request.Method != "HEAD") await res.Body.WriteAsync(body, ctx.RequestAborted).ConfigureAwait(false);
    }

    private (Digest Digest, string MediaType) ResolveManifest(string name, string reference)
    {
        Digest d;
        if (reference.Contains(':'))
        {
            d = ParseLookupDigest(reference) ?? throw RegistryError.ManifestUnknown(reference, OnlySha256);
        }
        else
        {
            // A reference that cannot be a tag names no manifest: the spec allows only 404 here, not 400.
            if (!RegistryNames.IsValidTag(reference)) throw RegistryError.NoSuchTag(reference);
            if (!_storage.RepoExists(name)) throw RegistryError.NameUnknown(name);
            d = _storage.ResolveTag(name, reference) ?? throw RegistryError.ManifestUnknown(reference);
        }
        string mediaType = _storage.ManifestMediaType(name, d) ?? throw RegistryError.ManifestUnknown(reference);
        return (d, mediaType);
    }

    private async Task PutManifestAsync(HttpContext ctx, RegistryRoute route)
    {
        string reference = route.Argument;
        bool byDigest = reference.Contains(':');
        if (!byDigest && !RegistryNames.IsValidTag(reference)) throw RegistryError.TagInvalid(reference);
        if (ctx.Request.ContentLength > MaxManifestBytes)
            throw new RegistryError(413, "SIZE_INVALID", "manifest too large", $"{ctx.Request.ContentLength} bytes, limit {MaxManifestBytes}");
        byte[] body = await ReadLimitedAsync(ctx.Request.Body, MaxManifestBytes, ctx.RequestAborted).ConfigureAwait(false);
        var d = new Digest("sha256", Convert.ToHexStringLower(SHA256.HashData(body)));
        if (byDigest && ParseDigest(reference) != d)
            throw RegistryError.DigestInvalid("manifest digest did not match the reference", $"reference {reference}, content {d}");
        string contentType = (ctx.Request.ContentType ?? "").Split(';')[0].Trim();
        var parsed = ParseManifest(body, contentType);
        foreach (var blob in parsed.Blobs)
            if (!_storage.HasBlob(route.Name, blob))
                throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "manifest references a blob unknown to the repository", blob.ToString());
        foreach (var child in parsed.Manifests)
            if (_storage.ManifestMediaType(route.Name, child) == null)
                throw new RegistryError(400, "MANIFEST_BLOB_UNKNOWN", "index references a manifest unknown to the repository", child.ToString());
        _storage.Blobs.WriteBytes(body);
        _storage.PutManifest(route.Name, d, parsed.MediaType, byDigest ? null : reference, parsed.Subject);
        var res = ctx.Response;
        res.StatusCode = 201;
        res.Headers.Location = $"/v2/{route.Name}/manifests/{d}";
        res.Headers["Docker-Content-Digest"] = d.ToString();
        if (parsed.Subject is { } subject) res.Headers["OCI-Subject"] = subject.ToString();
        res.ContentLength = 0;
    }

    private Task DeleteManifest(HttpContext ctx, RegistryRoute route)
    {
        string reference = route.Argument;
        if (reference.Contains(':'))
        {
            var d = ParseLookupDigest(reference) ?? throw RegistryError.ManifestUnknown(reference, OnlySha256);
            if (!_storage.DeleteManifest(route.Name, d)) throw RegistryError.ManifestUnknown(reference);
        }
        else
        {
            if (!RegistryNames.IsValidTag(reference)) throw RegistryError.NoSuchTag(reference);
            if (!_storage.DeleteTag(route.Name, reference)) throw RegistryError.ManifestUnknown(reference);
        }
        ctx.Response.StatusCode = 202;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>What a pushed manifest refers to, read with a JSON DOM so unknown fields survive untouched.</summary>
    internal sealed record ParsedManifest(string MediaType, List<Digest> Blobs, List<Digest> Manifests, Digest? Subject);

    internal static ParsedManifest ParseManifest(byte[] body, string contentType)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw RegistryError.ManifestInvalid("manifest is not valid JSON", e.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw RegistryError.ManifestInvalid("manifest is not a JSON object");
            if (!root.TryGetProperty("schemaVersion", out var sv) || sv.ValueKind != JsonValueKind.Number || sv.GetInt32() != 2)
                throw RegistryError.ManifestInvalid("unsupported manifest schema version", "only schemaVersion 2 is accepted");
            string? declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            string mediaType = Array.IndexOf(ManifestMediaTypes, contentType) >= 0 ? contentType : declared ?? contentType;
            if (Array.IndexOf(ManifestMediaTypes, mediaType) < 0)
                throw RegistryError.ManifestInvalid("unsupported manifest media type", mediaType.Length == 0 ? "no Content-Type" : mediaType);
            if (declared != null && declared != mediaType)
                throw RegistryError.ManifestInvalid("manifest mediaType does not match Content-Type", $"{declared} vs {mediaType}");
            var blobs = new List<Digest>();
            var manifests = new List<Digest>();
            bool isIndex = mediaType is MediaTypes.OciIndex or MediaTypes.DockerManifestList;
            if (isIndex)
            {
                foreach (var m in Elements(root, "manifests")) manifests.Add(DescriptorDigest(m));
            }
            else
            {
                if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
                    throw RegistryError.ManifestInvalid("manifest has no config descriptor");
                blobs.Add(DescriptorDigest(config));
                foreach (var l in Elements(root, "layers"))
                {
                    // Foreign (Docker) and non-distributable (OCI) layers live elsewhere, at their urls, so the registry need not hold them.
                    string? lt = l.TryGetProperty("mediaType", out var x) && x.ValueKind == JsonValueKind.String ? x.GetString() : null;
                    if (IsForeignLayer(lt) && l.TryGetProperty("urls", out _)) continue;
                    blobs.Add(DescriptorDigest(l));
                }
            }
            Digest? subject = root.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.Object ? DescriptorDigest(s) : null;
            return new ParsedManifest(mediaType, blobs, manifests, subject);
        }
    }

    private static bool IsForeignLayer(string? mediaType) =>
        mediaType == MediaTypes.DockerForeignLayerGzip
        || (mediaType != null && mediaType.StartsWith(NonDistributableLayerPrefix, StringComparison.Ordinal));

    private static IEnumerable<JsonElement> Elements(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var arr)) return Array.Empty<JsonElement>();
        if (arr.ValueKind != JsonValueKind.Array) throw RegistryError.ManifestInvalid($"manifest \"{property}\" is not an array");
        return arr.EnumerateArray().ToList();
    }

    private static Digest DescriptorDigest(JsonElement descriptor)
    {
        if (descriptor.ValueKind != JsonValueKind.Object
            || !descriptor.TryGetProperty("digest", out var dg) || dg.ValueKind != JsonValueKind.String
            || !Digest.TryParse(dg.GetString(), out var d))
            throw RegistryError.ManifestInvalid("manifest has a descriptor without a valid digest");
        if (d.Algorithm != "sha256") throw new RegistryError(400, "UNSUPPORTED", "only sha256 digests are supported", d.ToString());
        return d;
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long limit, CancellationToken ct)
    {
        var ms = new MemoryStream();
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = await body.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
        {
            ms.Write(buf, 0, n);
            if (ms.Length > limit) throw new RegistryError(413, "SIZE_INVALID", "manifest too large", $"more than {limit} bytes");
        }
        return ms.ToArray();
    }
}
