using System.Security.Cryptography;
using Berth.Core;

namespace Berth.Storage;

/// <summary>Blobs addressed by digest under <c>&lt;dir&gt;/blobs/sha256/&lt;hex&gt;</c>; written through a temp file, verified, then renamed into place.</summary>
public sealed class ContentStore
{
    private readonly string _blobs;
    private readonly string _ingest;

    public ContentStore(string dir)
    {
        Root = Path.GetFullPath(dir);
        _blobs = Path.Combine(Root, "blobs", "sha256");
        _ingest = Path.Combine(Root, "ingest");
        Directory.CreateDirectory(_blobs);
        Directory.CreateDirectory(_ingest);
    }

    public string Root { get; }

    public string BlobPath(Digest digest)
    {
        if (digest.Algorithm != "sha256" || !Digest.IsHex64(digest.Hex))
            throw BerthException.Invalid($"unsupported digest \"{digest}\": the content store holds sha256 blobs only");
        return Path.Combine(_blobs, digest.Hex);
    }

    public bool Has(Digest digest) => File.Exists(BlobPath(digest));

    public long Size(Digest digest)
    {
        var info = new FileInfo(BlobPath(digest));
        if (!info.Exists) throw BerthException.NotFound($"blob {digest} not found in content store");
        return info.Length;
    }

    public Stream OpenRead(Digest digest)
    {
        try
        {
            return new FileStream(BlobPath(digest), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException)
        {
            throw BerthException.NotFound($"blob {digest} not found in content store");
        }
    }

    public byte[] ReadAllBytes(Digest digest)
    {
        using var s = OpenRead(digest);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    /// <summary>Streams <paramref name="data"/> into the store; when <paramref name="expected"/> or <paramref name="expectedSize"/> is given the content must match.</summary>
    public async Task<(Digest Digest, long Size)> WriteAsync(Stream data, Digest? expected = null, long? expectedSize = null, CancellationToken ct = default)
    {
        if (expected is { } e && Has(e))
        {
            // Already present: still consume and verify the input so the caller's stream semantics do not change.
            var (d, n) = await HashOnlyAsync(data, ct).ConfigureAwait(false);
            Verify(d, n, expected, expectedSize);
            return (d, n);
        }
        string tmp = Path.Combine(_ingest, Guid.NewGuid().ToString("N"));
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long size = 0;
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                byte[] buf = new byte[1 << 16];
                int read;
                while ((read = await data.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buf, 0, read);
                    await fs.WriteAsync(buf.AsMemory(0, read), ct).ConfigureAwait(false);
                    size += read;
                    if (expectedSize is { } max && size > max)
                        throw BerthException.Invalid($"blob size mismatch: expected {max} bytes for {expected?.ToString() ?? "blob"}, got more");
                }
                fs.Flush(flushToDisk: true);
            }
            var digest = Digest.FromHash(hash);
            Verify(digest, size, expected, expectedSize);
            Commit(tmp, digest);
            return (digest, size);
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    public (Digest Digest, long Size) WriteBytes(ReadOnlySpan<byte> data)
    {
        var digest = Digest.Sha256(data);
        if (Has(digest)) return (digest, data.Length);
        string tmp = Path.Combine(_ingest, Guid.NewGuid().ToString("N"));
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(data);
                fs.Flush(flushToDisk: true);
            }
            Commit(tmp, digest);
            return (digest, data.Length);
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    public void Delete(Digest digest) => TryDelete(BlobPath(digest));

    /// <summary>Removes what interrupted writes left in the ingest dir; call once at daemon start, before any write.</summary>
    public void RemoveStaleIngest()
    {
        foreach (var f in Directory.EnumerateFiles(_ingest)) TryDelete(f);
        foreach (var d in Directory.EnumerateDirectories(_ingest)) SnapshotStore.RemoveTree(d);
    }

    public IEnumerable<Digest> List()
    {
        foreach (var f in Directory.EnumerateFiles(_blobs))
            if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d)) yield return d;
    }

    private static void Verify(Digest actual, long size, Digest? expected, long? expectedSize)
    {
        if (expected is { } e && e != actual)
            throw BerthException.Invalid($"blob digest mismatch: expected {e}, got {actual}");
        if (expectedSize is { } n && n != size)
            throw BerthException.Invalid($"blob size mismatch for {actual}: expected {n} bytes, got {size}");
    }

    private void Commit(string tmp, Digest digest)
    {
        // rename(2) replaces atomically; a concurrent writer of the same digest wrote identical bytes.
        File.Move(tmp, BlobPath(digest), overwrite: true);
    }

    private static async Task<(Digest, long)> HashOnlyAsync(Stream data, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buf = new byte[1 << 16];
        long size = 0;
        int read;
        while ((read = await data.ReadAsync(buf, ct).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buf, 0, read);
            size += read;
        }
        return (Digest.FromHash(hash), size);
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
