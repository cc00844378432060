using System.Globalization;
using System.Text.Json;
using Berth.Core;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution;

internal sealed partial class RegistryEndpoints
{
    private Task CatalogAsync(HttpContext ctx)
    {
        var page = Paginate(ctx, _storage.Repositories(), "/v2/_catalog");
        return WriteJsonAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("repositories");
            foreach (var r in page) w.WriteStringValue(r);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    private Task TagsListAsync(HttpContext ctx, RegistryRoute route)
    {
        if (!_storage.RepoExists(route.Name)) throw RegistryError.NameUnknown(route.Name);
        var page = Paginate(ctx, _storage.Tags(route.Name), $"/v2/{route.Name}/tags/list");
        return WriteJsonAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", route.Name);
            w.WriteStartArray("tags");
            foreach (var t in page) w.WriteStringValue(t);
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Applies <c>n</c> and <c>last</c> to an ordinally sorted list and sets the Link header when more remain.</summary>
    private static List<string> Paginate(HttpContext ctx, List<string> all, string path)
    {
        string? last = ctx.Request.Query["last"], nText = ctx.Request.Query["n"];
        IEnumerable<string> rest = all;
        if (!string.IsNullOrEmpty(last)) rest = all.Where(x => string.CompareOrdinal(x, last) > 0);
        var remaining = rest.ToList();
        if (string.IsNullOrEmpty(nText)) return remaining;
        if (!int.TryParse(nText, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new RegistryError(400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested", nText);
        var page = remaining.Take(n).ToList();
        if (remaining.Count > n && n > 0)
            ctx.Response.Headers.Link = $"<{path}?n={n}&last={Uri.EscapeDataString(page[^1])}>; rel=\"next\"";
        return page;
    }

    private Task ReferrersAsync(HttpContext ctx, RegistryRoute route)
    {
        // A subject of an algorithm this registry does not store has no referrers here: an empty list, never a 404.
        var subject = ParseLookupDigest(route.Argument);
        string? filter = ctx.Request.Query["artifactType"];
        var entries = new List<(Digest Digest, string MediaType, long Size, string? ArtifactType, JsonElement? Annotations)>();
        foreach (var d in subject is { } s ? _storage.Referrers(route.Name, s) : [])
        {
            string mediaType = _storage.ManifestMediaType(route.Name, d)!;
            byte[] body;
            try { body = _storage.Blobs.ReadAllBytes(d); }
            catch (BerthException) { continue; }
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            string? artifactType = root.TryGetProperty("artifactType", out var at) && at.ValueKind == JsonValueKind.String ? at.GetString() : null;
            if (artifactType == null && root.TryGetProperty("config", out var cfg) && cfg.ValueKind == JsonValueKind.Object
                && cfg.TryGetProperty("mediaType", out var cmt) && cmt.ValueKind == JsonValueKind.String)
                artifactType = cmt.GetString();
            if (!string.IsNullOrEmpty(filter) && artifactType != filter) continue;
            JsonElement? annotations = root.TryGetProperty("annotations", out var an) && an.ValueKind == JsonValueKind.Object ? an.Clone() : null;
            entries.Add((d, mediaType, body.Length, artifactType, annotations));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Digest.ToString(), b.Digest.ToString()));
        if (!string.IsNullOrEmpty(filter)) ctx.Response.Headers["OCI-Filters-Applied"] = "artifactType";
        return WriteJsonAsync(ctx, 200, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", 2);
            w.WriteString("mediaType", MediaTypes.OciIndex);
            w.WriteStartArray("manifests");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteString("mediaType", e.MediaType);
                w.WriteString("digest", e.Digest.ToString());
                w.WriteNumber("size", e.Size);
                if (e.ArtifactType != null) w.WriteString("artifactType", e.ArtifactType);
                if (e.Annotations is { } a)
                {
                    w.WritePropertyName("annotations");
                    a.WriteTo(w);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }, MediaTypes.OciIndex);
    }
}
