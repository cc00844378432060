using System.Formats.Tar;
using System.IO.Compression;
using Berth.Build.Context;
using Berth.Core;
using Berth.Storage;

namespace Berth.Engine.Build;

/// <summary>
/// The build context unpacked from the request's tar into a private directory (streamed to disk, never held in memory).
/// Entries that would land outside it are refused; symlinks are kept as links and only ever resolved inside it.
/// </summary>
public sealed class BuildContextDir : IDisposable
{
    private BuildContextDir(string root) => Root = root;

    /// <summary>The directory holding the context.</summary>
    public string Root { get; }

    /// <summary>The .dockerignore patterns (or the Dockerfile's own NAME.dockerignore) the context honours.</summary>
    public DockerIgnore Ignore { get; private set; } = DockerIgnore.Empty;

    /// <summary>Unpacks <paramref name="tar"/> (plain or gzip) under <paramref name="tmpDir"/>.</summary>
    /// <exception cref="BerthException">The body is not a tar archive, or an entry escapes the context.</exception>
    public static BuildContextDir Extract(Stream tar, string tmpDir)
    {
        var dir = new BuildContextDir(Path.Combine(tmpDir, "build-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(dir.Root);
        try
        {
            dir.Unpack(tar);
            return dir;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    private void Unpack(Stream body)
    {
        var head = new byte[2];
        int n = body.ReadAtLeast(head, 2, throwOnEndOfStream: false);
        if (n == 0) return;
        Stream input = new PrefixedStream(head.AsMemory(0, n), body, leaveOpen: true);
        if (n == 2 && head[0] == 0x1f && head[1] == 0x8b) input = new GZipStream(input, CompressionMode.Decompress);
        try
        {
            using var reader = new TarReader(input);
            while (reader.GetNextEntry() is { } entry) Write(entry);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or ArgumentException)
        {
            throw BerthException.Invalid($"the build context is not a valid tar archive: {e.Message}");
        }
    }

    private void Write(TarEntry entry)
    {
        string rel = DockerIgnore.Clean(entry.Name);
        if (rel == ".") return;
        if (rel == ".." || rel.StartsWith("../", StringComparison.Ordinal) || entry.Name.StartsWith('/'))
            throw BerthException.Invalid($"the build context has an entry outside it: \"{entry.Name}\"");
        string path = Path.Combine(Root, rel);
        string parent = Path.GetDirectoryName(path)!;
        // A parent that is a symlink (from an earlier entry) must not carry this entry out of the context.
        if (ResolveInside(Path.GetDirectoryName(rel) ?? "") != parent)
            throw BerthException.Invalid($"the build context has an entry below a symlink: \"{entry.Name}\"");
        Directory.CreateDirectory(parent);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(path);
                File.SetUnixFileMode(path, (UnixFileMode)((int)entry.Mode & 0xfff) | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                DeleteExisting(path);
                using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                    entry.DataStream?.CopyTo(fs);
                File.SetUnixFileMode(path, (UnixFileMode)((int)entry.Mode & 0xfff));
                File.SetLastWriteTimeUtc(path, entry.ModificationTime.UtcDateTime);
                break;
            case TarEntryType.SymbolicLink:
                DeleteExisting(path);
                File.CreateSymbolicLink(path, entry.LinkName);
                break;
            case TarEntryType.HardLink:
                string target = ResolveInside(DockerIgnore.Clean(entry.LinkName));
                if (!File.Exists(target)) throw BerthException.Invalid($"the build context has a hard link to a missing file: \"{entry.Name}\" -> \"{entry.LinkName}\"");
                DeleteExisting(path);
                File.Copy(target, path);
                break;
            default:
                break; // devices and fifos have no place in a context
        }
    }

    private static void DeleteExisting(string path)
    {
        if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget == null) Directory.Delete(path, true);
        else if (File.Exists(path) || new FileInfo(path).LinkTarget != null) File.Delete(path);
    }

    /// <summary>Reads the ignore file that goes with <paramref name="dockerfile"/>: NAME.dockerignore beside it, else .dockerignore.</summary>
    public void LoadIgnore(string dockerfile)
    {
        foreach (string candidate in new[] { dockerfile + ".dockerignore", ".dockerignore" })
        {
            string p = ResolveInside(candidate);
            if (File.Exists(p))
            {
                Ignore = DockerIgnore.Parse(File.ReadAllText(p));
                return;
            }
        }
    }

    /// <summary>
    /// The host path of a context path, symlinks followed as if the context were the root, so nothing outside it is ever
    /// reached. A path that climbs above the context with ".." is refused.
    /// </summary>
    public string ResolveInside(string relative, bool followFinal = true)
    {
        if (relative.Length == 0 || relative == ".") return Root;
        string clean = DockerIgnore.Clean(relative.TrimStart('/'));
        if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
            throw BerthException.Forbidden($"forbidden path outside the build context: {relative}");
        return Containers.ScopedPath.Resolve(Root, clean, followFinal);
    }

    public void Dispose()
    {
        try { if (Directory.Exists(Root)) Directory.Delete(Root, true); }
        catch (IOException) { /* removed with the tmp dir at the next daemon start */ }
    }
}
