using System.Text.Json;
using Berth.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Distribution;

/// <summary>Dispatches /v2 requests to blob, upload, manifest and listing handlers, and turns failures into spec error bodies.</summary>
internal sealed partial class RegistryEndpoints
{
    private const long MaxManifestBytes = 4 << 20;
    private readonly RegistryStorage _storage;
    private readonly IRegistryGate? _gate;

    public RegistryEndpoints(RegistryStorage storage, IRegistryGate? gate)
    {
        _storage = storage;
        _gate = gate;
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        var res = ctx.Response;
        res.Headers["Docker-Distribution-API-Version"] = "registry/2.0";
        try
        {
            // The raw target keeps "..", "//" and escapes as sent, so hostile names are seen and refused rather than normalised away.
            string raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? "/";
            int q = raw.IndexOf('?');
            string path = q >= 0 ? raw[..q] : raw;
            var route = RegistryRoute.Parse(path);
            if (route == null)
            {
                if (path.StartsWith("/v2/", StringComparison.Ordinal))
                    throw RegistryError.NameInvalid(path[4..]);
                throw new RegistryError(404, "NOT_FOUND", "not a registry endpoint", path);
            }
            // Names are checked first: a token challenge quotes the name in its scope.
            if (route.Kind is not (RouteKind.Base or RouteKind.Catalog) && !RegistryNames.IsValidName(route.Name))
                throw RegistryError.NameInvalid(route.Name);
            _gate?.Admit(ctx, route);
            await DispatchAsync(ctx, route).ConfigureAwait(false);
        }
        catch (RegistryError e)
        {
            await WriteErrorAsync(ctx, e.Status, e.Code, e.Message, e.Detail).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.NotFound)
        {
            await WriteErrorAsync(ctx, 404, "BLOB_UNKNOWN", e.Message, null).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            await WriteErrorAsync(ctx, e.StatusCode, "SIZE_INVALID", e.Message, null).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
        {
            await WriteErrorAsync(ctx, 400, "UNSUPPORTED", e.Message, null).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BerthException or IOException or UnauthorizedAccessException && !ctx.RequestAborted.IsCancellationRequested)
        {
            // Storage trouble (disk full, permissions): say so in the spec's shape rather than an empty 500.
            await WriteErrorAsync(ctx, 500, "UNKNOWN", "registry storage error", e.Message).ConfigureAwait(false);
        }
    }

    private Task DispatchAsync(HttpContext ctx, RegistryRoute route)
    {
        string method = ctx.Request.Method;
        return (route.Kind, method) switch
        {
            (RouteKind.Base, "GET" or "HEAD") => WriteJsonAsync(ctx, 200, w => { w.WriteStartObject(); w.WriteEndObject(); }),
            (RouteKind.Catalog, "GET") => CatalogAsync(ctx),
            (RouteKind.Blob, "GET" or "HEAD") => GetBlobAsync(ctx, route),
            (RouteKind.Blob, "DELETE") => DeleteBlob(ctx, route),
            (RouteKind.UploadStart, "POST") => StartUploadAsync(ctx, route),
            (RouteKind.Upload, "GET") => UploadStatus(ctx, route),
            (RouteKind.Upload, "PATCH") => PatchUploadAsync(ctx, route),
            (RouteKind.Upload, "PUT") => PutUploadAsync(ctx, route),
            (RouteKind.Upload, "DELETE") => CancelUpload(ctx, route),
            (RouteKind.Manifest, "GET" or "HEAD") => GetManifestAsync(ctx, route),
            (RouteKind.Manifest, "PUT") => PutManifestAsync(ctx, route),
            (RouteKind.Manifest, "DELETE") => DeleteManifest(ctx, route),
            (RouteKind.TagsList, "GET") => TagsListAsync(ctx, route),
            (RouteKind.Referrers, "GET") => ReferrersAsync(ctx, route),
            _ => throw RegistryError.Unsupported($"{method} is not supported on this endpoint"),
        };
    }

    private static Digest ParseDigest(string text)
    {
        if (!Digest.TryParse(text, out var d)) throw RegistryError.DigestInvalid("invalid digest", text);
        if (d.Algorithm != "sha256") throw new RegistryError(400, "UNSUPPORTED", "only sha256 digests are supported", text);
        return d;
    }

    /// <summary>
    /// A digest that only looks content up (GET, HEAD, DELETE, referrers). A well-formed digest of an algorithm this
    /// registry does not store (sha512) names nothing here, so it yields null and the caller answers 404 or an empty
    /// list, as the spec allows only 404 for a missing blob or manifest; a malformed digest is still 400 DIGEST_INVALID.
    /// </summary>
    private static Digest? ParseLookupDigest(string text)
    {
        if (!Digest.TryParse(text, out var d)) throw RegistryError.DigestInvalid("invalid digest", text);
        return d.Algorithm == "sha256" ? d : null;
    }

    private static string UploadLocation(string name, string id) => $"/v2/{name}/blobs/uploads/{id}";

    private static string BlobLocation(string name, Digest d) => $"/v2/{name}/blobs/{d}";

    private static void SetUploadHeaders(HttpResponse res, string name, string id, long offset)
    {
        res.Headers.Location = UploadLocation(name, id);
        res.Headers["Docker-Upload-UUID"] = id;
        // The spec's Range is inclusive; an empty upload reports 0-0 as distribution does.
        res.Headers["Range"] = $"0-{Math.Max(0, offset - 1)}";
        res.ContentLength = 0;
    }

    internal static async Task WriteErrorAsync(HttpContext ctx, int status, string code, string message, string? detail)
    {
        if (ctx.Response.HasStarted) return;
        await WriteJsonAsync(ctx, status, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("code", code);
            w.WriteString("message", message);
            if (detail != null) w.WriteString("detail", detail);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext ctx, int status, Action<Utf8JsonWriter> write, string contentType = "application/json")
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer)) write(w);
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        ctx.Response.ContentLength = buffer.Length;
        if (ctx.Request.Method != "HEAD")
            await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted).ConfigureAwait(false);
    }
}
