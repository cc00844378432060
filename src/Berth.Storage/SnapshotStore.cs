using System.Formats.Tar;
using System.Text;
using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage;

/// <summary>
/// Unpacked layers keyed by ChainID (<c>&lt;dir&gt;/&lt;chainHex&gt;/fs</c> plus parent/diffid/size records), as containerd's
/// overlay snapshotter lays them out, and containers' writable layers under <c>&lt;dir&gt;/rw/&lt;key&gt;</c>.
/// </summary>
public sealed partial class SnapshotStore
{
    public SnapshotStore(string dir)
    {
        Root = Path.GetFullPath(dir);
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(TmpDir);
        Directory.CreateDirectory(RwRoot);
        Directory.CreateDirectory(EmptyDir);
    }

    public string Root { get; }

    private string TmpDir => Path.Combine(Root, "tmp");
    private string RwRoot => Path.Combine(Root, "rw");

    /// <summary>An always-empty directory, the lower of containers whose image has no layers.</summary>
    public string EmptyDir => Path.Combine(Root, "empty");

    public static string ChainIdOf(string? parentChainId, string diffId) =>
        parentChainId == null ? diffId : Digest.Sha256(Encoding.ASCII.GetBytes(parentChainId + " " + diffId)).ToString();

    public bool HasLayer(string chainId) => File.Exists(Path.Combine(LayerDir(chainId), "diffid"));

    /// <summary>The unpacked tree of a layer (this layer only, in overlay form).</summary>
    public string LayerFsDir(string chainId) => Path.Combine(LayerDir(chainId), "fs");

    public LayerInfo GetLayer(string chainId)
    {
        string dir = LayerDir(chainId);
        if (!HasLayer(chainId)) throw BerthException.NotFound($"layer {chainId} not found");
        return new LayerInfo(File.ReadAllText(Path.Combine(dir, "diffid")), chainId, long.Parse(File.ReadAllText(Path.Combine(dir, "size"))));
    }

    public string? ParentOf(string chainId)
    {
        string p = Path.Combine(LayerDir(chainId), "parent");
        if (!File.Exists(p)) throw BerthException.NotFound($"layer {chainId} not found");
        string text = File.ReadAllText(p);
        return text.Length == 0 ? null : text;
    }

    /// <summary>
    /// Unpacks a (gzip, zstd or plain) layer tar on top of <paramref name="parentChainId"/>. The tar is unpacked into a temp dir
    /// and renamed into place, so a failed or hostile layer leaves nothing behind. <paramref name="label"/> names the layer in errors
    /// (e.g. its blob digest); with <paramref name="expectedDiffId"/> the uncompressed content must hash to it.
    /// </summary>
    public LayerInfo ApplyLayer(string? parentChainId, Stream tar, string? expectedDiffId = null, string? label = null)
    {
        if (parentChainId != null && !HasLayer(parentChainId))
            throw BerthException.NotFound($"parent layer {parentChainId} not found");
        label ??= expectedDiffId ?? "layer";
        using var counted = new CountingHashStream(LayerCompression.Decompress(tar, leaveOpen: true));
        if (expectedDiffId != null && HasLayer(ChainIdOf(parentChainId, expectedDiffId)))
        {
            DrainTar(counted, label);
            VerifyDiffId(counted.Finish().ToString(), expectedDiffId, label);
            return GetLayer(ChainIdOf(parentChainId, expectedDiffId));
        }
        using var prepared = Unpack(counted, expectedDiffId, label);
        return Commit(parentChainId, prepared);
    }

    /// <summary>
    /// The first half of <see cref="ApplyLayer"/>, which needs no parent: unpacks a layer tar into a temp dir and checks its
    /// diff ID. Layers of one image can be prepared in parallel, then committed in chain order with <see cref="Commit"/>.
    /// Disposing an uncommitted layer removes its temp dir.
    /// </summary>
    public PreparedLayer PrepareLayer(Stream tar, string? expectedDiffId = null, string? label = null)
    {
        label ??= expectedDiffId ?? "layer";
        using var counted = new CountingHashStream(LayerCompression.Decompress(tar, leaveOpen: true));
        return Unpack(counted, expectedDiffId, label);
    }

    private PreparedLayer Unpack(CountingHashStream counted, string? expectedDiffId, string label)
    {
        string tmp = Path.Combine(TmpDir, Guid.NewGuid().ToString("N"));
        try
        {
            string fs = Path.Combine(tmp, "fs");
            Directory.CreateDirectory(fs);
            var unpacker = new LayerUnpacker(fs, label);
            using (var reader = new TarReader(counted, leaveOpen: true))
                unpacker.Unpack(reader, () => counted.BytesRead);
            Drain(counted, label);
            string diffId = counted.Finish().ToString();
            if (expectedDiffId != null) VerifyDiffId(diffId, expectedDiffId, label);
            return new PreparedLayer(tmp, diffId, unpacker.Size);
        }
        catch
        {
            RemoveTree(tmp);
            throw;
        }
    }

    /// <summary>Puts a prepared layer in place on top of <paramref name="parentChainId"/> (which must exist); an identical
    /// layer already there is kept and the prepared one dropped.</summary>
    public LayerInfo Commit(string? parentChainId, PreparedLayer prepared)
    {
        if (parentChainId != null && !HasLayer(parentChainId))
            throw BerthException.NotFound($"parent layer {parentChainId} not found");
        string chainId = ChainIdOf(parentChainId, prepared.DiffId);
        if (HasLayer(chainId)) return GetLayer(chainId);
        string tmp = prepared.TakeDir();
        try
        {
            File.WriteAllText(Path.Combine(tmp, "parent"), parentChainId ?? "");
            File.WriteAllText(Path.Combine(tmp, "size"), prepared.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
            File.WriteAllText(Path.Combine(tmp, "diffid"), prepared.DiffId);
            try
            {
                Directory.Move(tmp, LayerDir(chainId));
            }
            catch (IOException) when (HasLayer(chainId))
            {
                // Another writer unpacked the same layer first; theirs is identical.
            }
            return GetLayer(chainId);
        }
        finally
        {
            RemoveTree(tmp);
        }
    }

    /// <summary>Removes, in the background, what the temp dir holds now: half-unpacked layers and half-removed trees a
    /// process that ended mid-work left. Call once at start, before anything new is unpacked or removed.</summary>
    public void RemoveStaleTempInBackground()
    {
        var stale = Directory.EnumerateFileSystemEntries(TmpDir).ToList();
        if (stale.Count == 0) return;
        ThreadPool.QueueUserWorkItem(_ =>
        {
            foreach (var d in stale)
            {
                try { RemoveTree(d); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* next start */ }
            }
        });
    }

    /// <summary>Layer dirs for overlay's lowerdir, topmost first.</summary>
    public IReadOnlyList<string> LowerDirs(string chainId)
    {
        var dirs = new List<string>();
        string? cur = chainId;
        while (cur != null)
        {
            dirs.Add(LayerFsDir(cur));
            cur = ParentOf(cur);
        }
        return dirs;
    }

    /// <summary>The ChainIDs of the chain ending at <paramref name="chainId"/>, bottom first.</summary>
    public IReadOnlyList<string> Chain(string chainId)
    {
        var ids = new List<string>();
        string? cur = chainId;
        while (cur != null)
        {
            ids.Add(cur);
            cur = ParentOf(cur);
        }
        ids.Reverse();
        return ids;
    }

    public IReadOnlyList<string> ListLayers()
    {
        var list = new List<string>();
        foreach (var d in Directory.EnumerateDirectories(Root))
        {
            string name = Path.GetFileName(d);
            if (Digest.IsHex64(name) && HasLayer("sha256:" + name)) list.Add("sha256:" + name);
        }
        return list;
    }

    public void RemoveLayer(string chainId)
    {
        string dir = LayerDir(chainId);
        if (!Directory.Exists(dir)) return;
        // Rename first so a half-removed layer is never seen as present.
        string trash = Path.Combine(TmpDir, "rm-" + Guid.NewGuid().ToString("N"));
        Directory.Move(dir, trash);
        RemoveTree(trash);
    }

    /// <summary>Writes <paramref name="upperDir"/> (an overlay upper dir) as an OCI layer tar.</summary>
    public void WriteDiff(string upperDir, Stream output) => DirectoryTarWriter.Write(upperDir, output, overlayUpper: true);

    /// <summary>Bytes used by the tree at <paramref name="path"/> (lstat sizes; symlinks not followed, hardlinks counted once).</summary>
    public static long DiskUsage(string path)
    {
        if (!LibC.TryLstat(path, out var st)) return 0;
        var seen = new HashSet<ulong>();
        return Usage(path, st, seen);
    }

    private static long Usage(string path, LibC.StatxBuf st, HashSet<ulong> seen)
    {
        uint type = st.Mode & LibC.S_IFMT;
        if (type != LibC.S_IFDIR)
            return st.Nlink > 1 && !seen.Add(st.Ino) ? 0 : (long)st.Size;
        long total = 0;
        foreach (var child in Directory.EnumerateFileSystemEntries(path))
            if (LibC.TryLstat(child, out var cst))
                total += Usage(child, cst, seen);
        return total;
    }

    private string LayerDir(string chainId)
    {
        if (!Digest.TryParse(chainId, out var d) || d.Algorithm != "sha256")
            throw BerthException.Invalid($"invalid chain ID \"{chainId}\"");
        return Path.Combine(Root, d.Hex);
    }

    private static void VerifyDiffId(string actual, string expected, string label)
    {
        if (actual != expected)
            throw BerthException.Invalid($"layer {label}: diffID mismatch: expected {expected}, got {actual}");
    }

    private static void DrainTar(CountingHashStream counted, string label)
    {
        using (var reader = new TarReader(counted, leaveOpen: true))
        {
            try
            {
                while (reader.GetNextEntry() is { } e)
                    e.DataStream?.CopyTo(Stream.Null);
            }
            catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or FormatException)
            {
                throw BerthException.Invalid($"layer {label} truncated at offset {counted.BytesRead}: {ex.Message}");
            }
        }
        Drain(counted, label);
    }

    private static void Drain(CountingHashStream counted, string label)
    {
        try
        {
            counted.Drain();
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or IOException)
        {
            throw BerthException.Invalid($"layer {label} truncated at offset {counted.BytesRead}: {ex.Message}");
        }
        // A stream cut exactly between two entries parses cleanly; only the missing end-of-archive blocks tell.
        if (counted.BytesRead > 0 && counted.TrailingZeroBytes < 512)
            throw BerthException.Invalid($"layer {label} truncated at offset {counted.BytesRead}: no end-of-archive marker");
    }

    internal static void RemoveTree(string path)
    {
        if (!LibC.TryLstat(path, out var st)) return;
        if ((st.Mode & LibC.S_IFMT) == LibC.S_IFDIR)
        {
            // Layers may hold read-only dirs (mode 0555); owner write is needed to unlink children.
            LibC.Chmod(path, 0x1c0);
            foreach (var child in Directory.EnumerateFileSystemEntries(path)) RemoveTree(child);
            Directory.Delete(path);
        }
        else
        {
            File.Delete(path);
        }
    }
}
