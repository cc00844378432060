using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Core;
using Berth.Storage;

namespace Berth.Distribution;

public sealed partial class RegistryClient
{
    // One download per digest at a time in this process: they share the resumable partial file.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> DownloadLocks = new(StringComparer.Ordinal);

    /// <summary>HEAD on the blob: true when the repository has it.</summary>
    public async Task<bool> BlobExistsAsync(string registry, string repository, Digest digest, CancellationToken ct = default)
    {
        using var res = await SendAsync(registry, repository, "pull", b => new HttpRequestMessage(HttpMethod.Head, new Uri(b, $"/v2/{repository}/blobs/{digest}")), ct).ConfigureAwait(false);
        if (res.StatusCode == HttpStatusCode.NotFound) return false;
        if (!res.IsSuccessStatusCode) throw await ErrorAsync(registry, res, ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Downloads a blob into <paramref name="store"/>, hashing while streaming; the digest and size must match. An interrupted
    /// transfer is resumed from the bytes already on disk with a Range request (also across calls).
    /// </summary>
    public async Task DownloadBlobAsync(string registry, string repository, Digest digest, long size, ContentStore store, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var gate = DownloadLocks.GetOrAdd(store.Root + "|" + digest, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (store.Has(digest)) return;
            string partial = Path.Combine(store.Root, "ingest", "pull-" + digest.Hex);
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    await DownloadOnceAsync(registry, repository, digest, size, partial, progress, ct).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is IOException or HttpRequestException or BerthException { InnerException: HttpRequestException or IOException }
                                           && attempt < _options.DownloadRetries && !ct.IsCancellationRequested)
                {
                    // Keep the partial file: the next attempt asks only for what is missing.
                }
                catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
                {
                    throw new BerthException(ErrorKind.Internal,
                        $"registry {registry}: blob {digest} of {repository}: the connection was cut mid-transfer {attempt + 1} times; giving up ({e.GetType().Name})", e);
                }
            }
            File.Move(partial, store.BlobPath(digest), overwrite: true);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task DownloadOnceAsync(string registry, string repository, Digest digest, long size, string partial, IProgress<long>? progress, CancellationToken ct)
    {
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        if (size >= 0 && have > size) have = 0;
        using var res = await SendAsync(registry, repository, "pull", b =>
        {
            var req = new HttpRequestMessage(HttpMethod.Get, new Uri(b, $"/v2/{repository}/blobs/{digest}"));
            if (have > 0) req.Headers.Range = new RangeHeaderValue(have, null);
            return req;
        }, ct).ConfigureAwait(false);
        if (res.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0 && have == size)
        {
            // Everything was already there; only verification is left.
        }
        else if (!res.IsSuccessStatusCode)
        {
            var error = await ErrorAsync(registry, res, ct).ConfigureAwait(false);
            if (res.StatusCode == HttpStatusCode.NotFound) throw BerthException.NotFound($"blob {digest} not found in {registry}/{repository} ({error.Message})");
            throw error;
        }
        else if (res.StatusCode != HttpStatusCode.PartialContent)
        {
            have = 0;
        }
        else if (res.Content.Headers.ContentRange?.From != have)
        {
            // Bytes from somewhere else than asked: useless here. Drop what we have so the retry fetches the whole blob.
            File.Delete(partial);
            throw new IOException($"asked for bytes {have}- and got {res.Content.Headers.ContentRange?.ToString() ?? "no Content-Range"}");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        byte[] buf = new byte[1 << 16];
        // Hash the part kept from an earlier attempt, then continue after it.
        long done = 0;
        while (done < have)
        {
            int n = await file.ReadAsync(buf.AsMemory(0, (int)Math.Min(buf.Length, have - done)), ct).ConfigureAwait(false);
            if (n == 0) break;
            hash.AppendData(buf, 0, n);
            done += n;
        }
        file.SetLength(done);
        progress?.Report(done);
        if (res.StatusCode != HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            await using var body = await res.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            int read;
            while ((read = await body.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buf, 0, read);
                await file.WriteAsync(buf.AsMemory(0, read), ct).ConfigureAwait(false);
                done += read;
                if (size >= 0 && done > size)
                {
                    file.Close();
                    File.Delete(partial);
                    throw BerthException.Invalid($"blob {digest} from {registry}/{repository}: more than the expected {size} bytes");
                }
                progress?.Report(done);
            }
        }
        file.Flush(flushToDisk: true);
        var actual = Digest.FromHash(hash);
        if (actual != digest || (size >= 0 && done != size))
        {
            file.Close();
            File.Delete(partial);
            throw BerthException.Invalid($"blob {digest} from {registry}/{repository}: got {done} bytes with digest {actual}, expected {size} bytes");
        }
    }

    /// <summary>Asks the registry to mount <paramref name="digest"/> from another repository; true when it did.</summary>
    public async Task<bool> MountBlobAsync(string registry, string repository, Digest digest, string fromRepository, CancellationToken ct = default)
    {
        using var res = await SendAsync(registry, repository, "pull,push", b => new HttpRequestMessage(HttpMethod.Post,
            new Uri(b, $"/v2/{repository}/blobs/uploads/?mount={digest}&from={Uri.EscapeDataString(fromRepository)}")), ct).ConfigureAwait(false);
        if (res.StatusCode == HttpStatusCode.Created) return true;
        if (res.StatusCode == HttpStatusCode.Accepted && res.Headers.Location is { } location)
        {
            // The registry opened an ordinary upload instead; we upload through a fresh one, so close this.
            var abandon = new Uri(await PingAsync(registry, ct).ConfigureAwait(false), location);
            using var del = await SendAsync(registry, repository, "pull,push", _ => new HttpRequestMessage(HttpMethod.Delete, abandon), ct).ConfigureAwait(false);
            return false;
        }
        if (!res.IsSuccessStatusCode) throw await ErrorAsync(registry, res, ct).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Uploads a blob: one PUT, or PATCH chunks of <see cref="RegistryClientOptions.ChunkSize"/> then a closing PUT.
    /// <paramref name="open"/> is called for each (re)transmission and must return the blob from its start.
    /// </summary>
    public async Task UploadBlobAsync(string registry, string repository, Digest digest, long size, Func<Stream> open, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var baseUri = await PingAsync(registry, ct).ConfigureAwait(false);
        Uri location;
        using (var start = await SendAsync(registry, repository, "pull,push", b => new HttpRequestMessage(HttpMethod.Post, new Uri(b, $"/v2/{repository}/blobs/uploads/")), ct).ConfigureAwait(false))
        {
            if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location == null)
                throw start.IsSuccessStatusCode
                    ? BerthException.Internal($"registry {registry}: upload to {repository} answered {(int)start.StatusCode} without a Location")
                    : await ErrorAsync(registry, start, ct).ConfigureAwait(false);
            location = new Uri(baseUri, start.Headers.Location);
        }
        long chunk = _options.ChunkSize;
        if (chunk > 0 && size > chunk)
        {
            byte[] buf = new byte[chunk];
            long offset = 0;
            await using var source = open();
            while (offset < size)
            {
                int n = await source.ReadAtLeastAsync(buf.AsMemory(0, (int)Math.Min(chunk, size - offset)), (int)Math.Min(chunk, size - offset), false, ct).ConfigureAwait(false);
                if (n == 0) throw BerthException.Invalid($"blob {digest}: source ended at {offset} of {size} bytes");
                long from = offset;
                var at = location;
                using var res = await SendAsync(registry, repository, "pull,push", _ =>
                {
                    var content = new ByteArrayContent(buf, 0, n);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                    content.Headers.TryAddWithoutValidation("Content-Range", $"{from}-{from + n - 1}");
                    return new HttpRequestMessage(HttpMethod.Patch, at) { Content = content };
                }, ct).ConfigureAwait(false);
                if (!res.IsSuccessStatusCode) throw await ErrorAsync(registry, res, ct).ConfigureAwait(false);
                if (res.Headers.Location != null) location = new Uri(baseUri, res.Headers.Location);
                offset += n;
                progress?.Report(offset);
            }
            await FinishUploadAsync(registry, repository, digest, location, () => new ByteArrayContent(Array.Empty<byte>()), ct).ConfigureAwait(false);
            return;
        }
        await FinishUploadAsync(registry, repository, digest, location, () =>
        {
            var content = new StreamContent(open(), 1 << 16);
            content.Headers.ContentLength = size;
            return content;
        }, ct).ConfigureAwait(false);
        progress?.Report(size);
    }

    private async Task FinishUploadAsync(string registry, string repository, Digest digest, Uri location, Func<HttpContent> body, CancellationToken ct)
    {
        string sep = string.IsNullOrEmpty(location.Query) ? "?" : "&";
        var put = new Uri(location + sep + "digest=" + digest);
        using var res = await SendAsync(registry, repository, "pull,push", _ =>
        {
            var content = body();
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return new HttpRequestMessage(HttpMethod.Put, put) { Content = content };
        }, ct).ConfigureAwait(false);
        if (res.StatusCode != HttpStatusCode.Created && !res.IsSuccessStatusCode) throw await ErrorAsync(registry, res, ct).ConfigureAwait(false);
    }
}
