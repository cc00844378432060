using System.Globalization;
using Berth.Core;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution;

internal sealed partial class RegistryEndpoints
{
    private async Task GetBlobAsync(HttpContext ctx, RegistryRoute route)
    {
        var d = ParseLookupDigest(route.Argument) ?? throw RegistryError.BlobUnknown(route.Argument, OnlySha256);
        if (!_storage.HasBlob(route.Name, d)) throw RegistryError.BlobUnknown(d.ToString());
        var res = ctx.Response;
        await using var file = _storage.Blobs.OpenRead(d);
        long size = file.Length;
        res.Headers["Docker-Content-Digest"] = d.ToString();
        res.Headers.AcceptRanges = "bytes";
        res.Headers.ETag = "\"" + d + "\"";
        res.ContentType = "application/octet-stream";
        long start = 0, end = size - 1;
        string? range = ctx.Request.Headers.Range;
        if (!string.IsNullOrEmpty(range) && ctx.Request.Method == "GET")
        {
            if (!TryParseByteRange(range, size, out start, out end))
            {
                res.Headers.ContentRange = $"bytes */{size}";
                throw new RegistryError(416, "RANGE_INVALID", "requested range not satisfiable", range);
            }
            res.StatusCode = 206;
            res.Headers.ContentRange = $"bytes {start}-{end}/{size}";
        }
        else
        {
            res.StatusCode = 200;
        }
        res.ContentLength = end - start + 1;
        if (ctx.Request.Method == "HEAD")
        {
            // A HEAD is how a pusher decides to skip a blob it will reference soon; refresh it so a running GC keeps it.
            _storage.Touch(d);
            return;
        }
        file.Seek(start, SeekOrigin.Begin);
        await CopyRangeAsync(file, res.Body, end - start + 1, ctx.RequestAborted).ConfigureAwait(false);
    }

    private Task DeleteBlob(HttpContext ctx, RegistryRoute route)
    {
        var d = ParseLookupDigest(route.Argument) ?? throw RegistryError.BlobUnknown(route.Argument, OnlySha256);
        if (!_storage.UnlinkBlob(route.Name, d)) throw RegistryError.BlobUnknown(d.ToString());
        ctx.Response.StatusCode = 202;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private async Task StartUploadAsync(HttpContext ctx, RegistryRoute route)
    {
        var query = ctx.Request.Query;
        var res = ctx.Response;
        string? mount = query["mount"], from = query["from"];
        if (!string.IsNullOrEmpty(mount))
        {
            var d = ParseDigest(mount);
            if (!string.IsNullOrEmpty(from) && RegistryNames.IsValidName(from) && (_gate?.MayPull(ctx, from) ?? true) && _storage.HasBlob(from, d))
            {
                _storage.LinkBlob(route.Name, d);
                res.StatusCode = 201;
                res.Headers.Location = BlobLocation(route.Name, d);
                res.Headers["Docker-Content-Digest"] = d.ToString();
                res.ContentLength = 0;
                return;
            }
            // Not mountable: the spec says to fall back to an ordinary upload session.
        }
        string? digestText = query["digest"];
        if (!string.IsNullOrEmpty(digestText))
        {
            var d = ParseDigest(digestText);
            try
            {
                await _storage.Blobs.WriteAsync(ctx.Request.Body, d, ctx.Request.ContentLength, ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
            {
                throw e.Message.Contains("size", StringComparison.Ordinal)
                    ? new RegistryError(400, "SIZE_INVALID", "content length did not match the body", e.Message)
                    : RegistryError.DigestInvalid("provided digest did not match uploaded content", e.Message);
            }
            _storage.LinkBlob(route.Name, d);
            res.StatusCode = 201;
            res.Headers.Location = BlobLocation(route.Name, d);
            res.Headers["Docker-Content-Digest"] = d.ToString();
            res.ContentLength = 0;
            return;
        }
        string id = _storage.StartUpload(route.Name);
        res.StatusCode = 202;
        SetUploadHeaders(res, route.Name, id, 0);
    }

    private Task UploadStatus(HttpContext ctx, RegistryRoute route)
    {
        long offset = _storage.UploadOffset(route.Name, route.Argument);
        ctx.Response.StatusCode = 204;
        SetUploadHeaders(ctx.Response, route.Name, route.Argument, offset);
        return Task.CompletedTask;
    }

    private async Task PatchUploadAsync(HttpContext ctx, RegistryRoute route)
    {
        long? start = ParseContentRange(ctx.Request);
        long offset;
        using (await _storage.LockUploadAsync(route.Name, route.Argument, ctx.RequestAborted).ConfigureAwait(false))
            offset = await _storage.AppendUploadAsync(route.Name, route.Argument, ctx.Request.Body, start, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = 202;
        SetUploadHeaders(ctx.Response, route.Name, route.Argument, offset);
    }

    private async Task PutUploadAsync(HttpContext ctx, RegistryRoute route)
    {
        string? digestText = ctx.Request.Query["digest"];
        if (string.IsNullOrEmpty(digestText)) throw RegistryError.DigestInvalid("digest query parameter is required to finish an upload");
        var d = ParseDigest(digestText);
        long? start = ParseContentRange(ctx.Request);
        using (await _storage.LockUploadAsync(route.Name, route.Argument, ctx.RequestAborted).ConfigureAwait(false))
        {
            await _storage.AppendUploadAsync(route.Name, route.Argument, ctx.Request.Body, start, ctx.RequestAborted).ConfigureAwait(false);
            await _storage.FinishUploadAsync(route.Name, route.Argument, d, ctx.RequestAborted).ConfigureAwait(false);
        }
        var res = ctx.Response;
        res.StatusCode = 201;
        res.Headers.Location = BlobLocation(route.Name, d);
        res.Headers["Docker-Content-Digest"] = d.ToString();
        res.ContentLength = 0;
    }

    private Task CancelUpload(HttpContext ctx, RegistryRoute route)
    {
        _storage.CancelUpload(route.Name, route.Argument);
        ctx.Response.StatusCode = 204;
        ctx.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    /// <summary>The start of a PATCH's <c>Content-Range: &lt;start&gt;-&lt;end&gt;</c>, checked against Content-Length; null when absent.</summary>
    private static long? ParseContentRange(HttpRequest req)
    {
        string? text = req.Headers.ContentRange;
        if (string.IsNullOrEmpty(text)) return null;
        if (text.StartsWith("bytes ", StringComparison.Ordinal)) text = text[6..];
        int dash = text.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long end)
            || end < start)
            throw new RegistryError(416, "RANGE_INVALID", "invalid content range", text);
        if (req.ContentLength is { } len && len != end - start + 1)
            throw new RegistryError(416, "RANGE_INVALID", "content range does not match content length", $"{text} with Content-Length {len}");
        return start;
    }

    private static bool TryParseByteRange(string header, long size, out long start, out long end)
    {
        start = 0;
        end = size - 1;
        if (!header.StartsWith("bytes=", StringComparison.Ordinal) || header.Contains(',')) return false;
        string spec = header[6..];
        int dash = spec.IndexOf('-');
        if (dash < 0) return false;
        string a = spec[..dash], b = spec[(dash + 1)..];
        if (a.Length == 0)
        {
            // Suffix range: the last N bytes.
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n == 0) return false;
            start = Math.Max(0, size - n);
            return size > 0;
        }
        if (!long.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start >= size) return false;
        if (b.Length > 0)
        {
            if (!long.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out end) || end < start) return false;
            end = Math.Min(end, size - 1);
        }
        return true;
    }

    private static async Task CopyRangeAsync(Stream from, Stream to, long count, CancellationToken ct)
    {
        byte[] buf = new byte[1 << 16];
        while (count > 0)
        {
            int n = await from.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, count)), ct).ConfigureAwait(false);
            if (n == 0) break;
            await to.WriteAsync(buf.AsMemory(0, n), ct).ConfigureAwait(false);
            count -= n;
        }
    }
}
