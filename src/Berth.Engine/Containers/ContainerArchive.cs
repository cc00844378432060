using System.Formats.Tar;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Storage;

namespace Berth.Engine.Containers;

/// <summary>docker cp: tar a path out of a container root, or unpack a tar into a directory of it, never leaving the root.</summary>
public static class ContainerArchive
{
    /// <summary>Docker's path stat (for the X-Docker-Container-Path-Stat header).</summary>
    public static ContainerPathStat Stat(string root, string path)
    {
        string host = ScopedPath.Resolve(root, path, followFinal: true);
        string lhost = ScopedPath.Resolve(root, path, followFinal: false);
        var info = new FileInfo(lhost);
        bool isDir = Directory.Exists(host);
        if (!info.Exists && !Directory.Exists(lhost) && info.LinkTarget == null)
            throw BerthException.NotFound($"Could not find the file {path} in container");
        uint mode = (uint)(File.GetUnixFileMode(lhost));
        if (info.LinkTarget != null) mode |= 1u << 27;
        else if (isDir) mode |= 1u << 31;
        return new ContainerPathStat
        {
            Name = Path.GetFileName(path.TrimEnd('/')) is { Length: > 0 } n ? n : "/",
            Size = isDir || info.LinkTarget != null ? 4096 : info.Length,
            Mode = mode,
            Mtime = ContainerService.Rfc3339(info.LastWriteTimeUtc),
            LinkTarget = info.LinkTarget != null ? "/" + Path.GetRelativePath(root, host) : "",
        };
    }

    /// <summary>Writes <paramref name="path"/> as a tar whose top entry is its base name, as docker cp expects.</summary>
    public static void Write(string root, string path, Stream output)
    {
        bool followFinal = path.EndsWith('/') || path.EndsWith("/.", StringComparison.Ordinal);
        string host = ScopedPath.Resolve(root, path, followFinal);
        string name = Path.GetFileName(path.TrimEnd('/', '.')) is { Length: > 0 } n ? n : ".";
        var info = new FileInfo(host);
        if (Directory.Exists(host) && info.LinkTarget == null)
        {
            DirectoryTarWriter.Write(host, output, overlayUpper: false, stayOnFileSystem: true, namePrefix: name);
            return;
        }
        if (!info.Exists && info.LinkTarget == null) throw BerthException.NotFound($"Could not find the file {path} in container");
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            if (info.LinkTarget != null)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = info.LinkTarget, ModificationTime = info.LastWriteTimeUtc });
                return;
            }
            writer.WriteEntry(host, name);
        }
    }

    /// <summary>Unpacks a tar into directory <paramref name="path"/> of the root; entries may not escape it, through ".." or symlinks.</summary>
    public static void Extract(string root, string path, Stream tar, bool noOverwriteDirNonDir)
    {
        string dest = ScopedPath.Resolve(root, path, followFinal: true);
        if (!Directory.Exists(dest))
        {
            if (File.Exists(dest)) throw BerthException.Invalid($"extraction point is not a directory: {path}");
            throw BerthException.NotFound($"Could not find the file {path} in container");
        }
        string destRel = Path.GetRelativePath(root, dest);
        using var reader = new TarReader(tar);
        TarEntry? entry;
        while ((entry = ReadNext(reader)) != null)
        {
            string rel = Normalize(entry.Name);
            if (rel.Length == 0) continue;
            string parent = ScopedPath.Resolve(root, Path.Combine(destRel, Path.GetDirectoryName(rel) ?? ""), followFinal: true);
            if (!Directory.Exists(parent)) Directory.CreateDirectory(parent);
            string target = Path.Combine(parent, Path.GetFileName(rel));
            var existing = new FileInfo(target);
            bool existsAsDir = Directory.Exists(target) && existing.LinkTarget == null;
            if (noOverwriteDirNonDir && existsAsDir != (entry.EntryType == TarEntryType.Directory) && (existsAsDir || existing.Exists))
                throw BerthException.Invalid($"cannot overwrite {(existsAsDir ? "directory" : "non-directory")} \"{rel}\" with {(existsAsDir ? "non-directory" : "directory")}");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (!existsAsDir)
                    {
                        if (existing.Exists || existing.LinkTarget != null) File.Delete(target);
                        Directory.CreateDirectory(target);
                    }
                    File.SetUnixFileMode(target, entry.Mode);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (existsAsDir) Directory.Delete(target, true);
                    else if (existing.LinkTarget != null) File.Delete(target);
                    using (var fs = new FileStream(target, FileMode.Create, FileAccess.Write))
                        entry.DataStream?.CopyTo(fs);
                    File.SetUnixFileMode(target, entry.Mode);
                    break;
                case TarEntryType.SymbolicLink:
                    if (existing.Exists || existing.LinkTarget != null) File.Delete(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    string linkSrc = ScopedPath.Resolve(root, Path.Combine(destRel, Normalize(entry.LinkName)), followFinal: false);
                    if (!File.Exists(linkSrc)) throw BerthException.Invalid($"hard link \"{entry.Name}\" points to \"{entry.LinkName}\", which is not in the archive");
                    if (existing.Exists) File.Delete(target);
                    File.Copy(linkSrc, target);
                    break;
                default:
                    continue; // devices and fifos are not copied into containers
            }
            try { File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime); } catch (IOException) { /* symlink */ }
        }
    }

    private static TarEntry? ReadNext(TarReader reader)
    {
        try { return reader.GetNextEntry(); }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw BerthException.Invalid("malformed tar archive: " + e.Message);
        }
    }

    /// <summary>Entry names become relative and may not climb above the extraction point.</summary>
    private static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var p in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".") continue;
            if (p == "..")
            {
                if (parts.Count == 0) throw BerthException.Invalid($"archive entry \"{name}\" escapes the destination");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return string.Join('/', parts);
    }
}
