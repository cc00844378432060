using System.Collections.Concurrent;
using Berth.Core;

namespace Berth.Distribution;

internal sealed partial class RegistryStorage
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _uploadLocks = new();

    private string UploadDir(string id) => Path.Combine(UploadsDir, id);
    private string UploadData(string id) => Path.Combine(UploadDir(id), "data");

    public string StartUpload(string name)
    {
        string id = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(UploadDir(id));
        File.WriteAllText(Path.Combine(UploadDir(id), "repo"), name);
        File.WriteAllBytes(UploadData(id), Array.Empty<byte>());
        return id;
    }

    /// <summary>The current size of an upload of <paramref name="name"/>, or throws BLOB_UPLOAD_UNKNOWN.</summary>
    public long UploadOffset(string name, string id)
    {
        CheckUpload(name, id);
        return new FileInfo(UploadData(id)).Length;
    }

    /// <summary>Serialises chunks of one upload; different uploads proceed in parallel.</summary>
    public async Task<IDisposable> LockUploadAsync(string name, string id, CancellationToken ct)
    {
        CheckUpload(name, id);
        var gate = _uploadLocks.GetOrAdd(id, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        return new Release(gate);
    }

    /// <summary>Appends a chunk; when <paramref name="start"/> is given it must equal the current offset (else 416).</summary>
    public async Task<long> AppendUploadAsync(string name, string id, Stream body, long? start, CancellationToken ct)
    {
        long offset = UploadOffset(name, id);
        if (start is { } s && s != offset)
            throw new RegistryError(416, "RANGE_INVALID", "invalid content range", $"chunk starts at {s}, upload {id} is at {offset}");
        await using var fs = new FileStream(UploadData(id), FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await body.CopyToAsync(fs, 1 << 16, ct).ConfigureAwait(false);
        return fs.Position;
    }

    /// <summary>Moves the finished upload into the blob store after checking its digest, and links it into the repository.</summary>
    public async Task FinishUploadAsync(string name, string id, Digest expected, CancellationToken ct)
    {
        CheckUpload(name, id);
        // Written before the blob exists so a concurrent GC knows this digest is about to be linked.
        File.WriteAllText(Path.Combine(UploadDir(id), "digest"), expected.ToString());
        try
        {
            await using (var data = new FileStream(UploadData(id), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
            {
                try
                {
                    await Blobs.WriteAsync(data, expected, null, ct).ConfigureAwait(false);
                }
                catch (BerthException e) when (e.Kind == ErrorKind.InvalidArgument)
                {
                    throw RegistryError.DigestInvalid("provided digest did not match uploaded content", e.Message);
                }
            }
            LinkBlob(name, expected);
        }
        finally
        {
            CancelUpload(name, id);
        }
    }

    public void CancelUpload(string name, string id)
    {
        CheckUpload(name, id);
        try { Directory.Delete(UploadDir(id), recursive: true); }
        catch (DirectoryNotFoundException) { }
        _uploadLocks.TryRemove(id, out _);
    }

    /// <summary>Removes upload sessions not written since <paramref name="before"/>; returns how many.</summary>
    public int PurgeUploads(DateTime before)
    {
        int n = 0;
        foreach (var dir in Directory.EnumerateDirectories(UploadsDir))
        {
            var data = new FileInfo(Path.Combine(dir, "data"));
            var last = data.Exists ? data.LastWriteTimeUtc : Directory.GetLastWriteTimeUtc(dir);
            if (last >= before) continue;
            try
            {
                Directory.Delete(dir, recursive: true);
                n++;
            }
            catch (IOException)
            {
                // Finishing or already gone: the next run will see it again.
            }
        }
        return n;
    }

    /// <summary>Digests that uploads are finishing right now; the GC must not sweep them.</summary>
    public IEnumerable<Digest> FinishingUploads()
    {
        foreach (var dir in Directory.EnumerateDirectories(UploadsDir))
        {
            string? text = null;
            try { text = File.ReadAllText(Path.Combine(dir, "digest")); }
            catch (IOException) { }
            if (Digest.TryParse(text, out var d)) yield return d;
        }
    }

    private void CheckUpload(string name, string id)
    {
        if (!RegistryNames.IsValidUploadId(id)) throw RegistryError.UploadUnknown(id);
        string? owner = null;
        try { owner = File.ReadAllText(Path.Combine(UploadDir(id), "repo")); }
        catch (IOException) { }
        if (owner != name) throw RegistryError.UploadUnknown(id);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
