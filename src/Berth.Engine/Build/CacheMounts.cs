using System.Security.Cryptography;
using System.Text;
using Berth.Build.Parser.Instructions;

namespace Berth.Engine.Build;

/// <summary>
/// The directories behind RUN --mount=type=cache: one per cache id under the data root's buildcache/, kept across builds
/// and never part of an image. The sharing mode decides what concurrent RUNs of one id get.
/// </summary>
internal static class CacheMounts
{
    internal sealed class Entry
    {
        public readonly SemaphoreSlim Exclusive = new(1, 1);
        public int Users;
    }

    // Keyed by the cache's host path, so two engines in one process (tests) never share an entry.
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);

    /// <summary>The directory of a cache id (the mount's id, or its target when it has none).</summary>
    public static string Dir(string dataRoot, string id) =>
        Path.Combine(dataRoot, "buildcache", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32]);

    /// <summary>
    /// The directory this RUN mounts, held until the lease is disposed: <c>locked</c> waits for the other users to finish,
    /// <c>private</c> gets a fresh scratch directory (thrown away after) when another RUN is using the cache, <c>shared</c>
    /// (the default) always gets the one directory.
    /// </summary>
    public static async Task<CacheLease> AcquireAsync(string dataRoot, string tmpDir, RunMount m, string target, CancellationToken ct)
    {
        string dir = Dir(dataRoot, string.IsNullOrEmpty(m.CacheId) ? target : m.CacheId);
        Entry entry;
        bool busy;
        lock (Entries)
        {
            if (!Entries.TryGetValue(dir, out entry!)) Entries[dir] = entry = new Entry();
            busy = entry.Users > 0;
            entry.Users++;
        }
        var lease = new CacheLease(entry, dir);
        try
        {
            if (m.Sharing == "locked")
            {
                await entry.Exclusive.WaitAsync(ct);
                lease.HoldsLock = true;
            }
            if (m.Sharing == "private" && busy)
            {
                lease.Path = System.IO.Path.Combine(tmpDir, "cache-" + Guid.NewGuid().ToString("N"));
                lease.Scratch = true;
                Create(lease.Path, m);
            }
            else
            {
                lock (entry) if (!Directory.Exists(dir)) Create(dir, m);
            }
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The cache directories under the data root, and whether a RUN holds each right now.</summary>
    public static IReadOnlyList<(string Dir, bool InUse)> List(string dataRoot)
    {
        string root = Path.Combine(dataRoot, "buildcache");
        if (!Directory.Exists(root)) return [];
        lock (Entries)
            return Directory.GetDirectories(root).Where(d => !d.EndsWith(".new", StringComparison.Ordinal))
                .Select(d => (d, Entries.TryGetValue(d, out var e) && e.Users > 0)).ToList();
    }

    /// <summary>Deletes the cache directories no RUN holds; returns their names and the bytes they took.</summary>
    public static (List<string> Deleted, long Reclaimed) Prune(string dataRoot)
    {
        var deleted = new List<string>();
        long reclaimed = 0;
        // Held throughout, so no RUN can take a cache while it is being deleted.
        lock (Entries)
        {
            foreach (var (dir, inUse) in List(dataRoot))
            {
                if (inUse) continue;
                long size = Storage.SnapshotStore.DiskUsage(dir);
                try { Directory.Delete(dir, recursive: true); }
                catch (IOException) { continue; }
                Entries.Remove(dir);
                deleted.Add(System.IO.Path.GetFileName(dir));
                reclaimed += size;
            }
        }
        return (deleted, reclaimed);
    }

    // Mode and owner apply when the cache is made, as BuildKit does; a later RUN with other values finds it as it is.
    private static void Create(string dir, RunMount m)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(dir)!);
        string partial = dir + ".new";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        File.SetUnixFileMode(partial, (UnixFileMode)(m.Mode ?? Convert.ToUInt32("755", 8)));
        FileCopier.Chown(partial, ((int)(m.Uid ?? 0), (int)(m.Gid ?? 0)));
        Directory.Move(partial, dir);
    }

    /// <summary>One RUN's use of a cache.</summary>
    internal sealed class CacheLease : IDisposable
    {
        private readonly Entry _entry;
        private bool _disposed;

        public CacheLease(Entry entry, string path)
        {
            _entry = entry;
            Path = path;
        }

        /// <summary>The host directory to bind.</summary>
        public string Path { get; set; }
        public bool HoldsLock { get; set; }
        public bool Scratch { get; set; }

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                if (Scratch && Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
            }
            finally
            {
                if (HoldsLock) _entry.Exclusive.Release();
                lock (Entries) _entry.Users--;
            }
        }
    }
}
