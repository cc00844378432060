using System.Formats.Tar;
using Berth.Core;

namespace Berth.Images;

/// <summary>
/// An image archive unpacked into a private staging dir: regular files by archive path, links resolved in a map
/// (never on disk), and every path that would leave the archive refused.
/// </summary>
internal sealed class ArchiveStaging : IDisposable
{
    private readonly string _dir;
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    private ArchiveStaging(string dir) => _dir = dir;

    public static ArchiveStaging Read(Stream input, string stagingParent)
    {
        var staging = new ArchiveStaging(Path.Combine(stagingParent, "load-" + Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(staging._dir);
        try
        {
            using var reader = new TarReader(input, leaveOpen: true);
            int n = 0;
            TarEntry? e;
            while ((e = Next(reader)) != null)
            {
                string name = Normalize(e.Name, "", e.Name);
                switch (e.EntryType)
                {
                    case TarEntryType.Directory or TarEntryType.GlobalExtendedAttributes:
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        string file = Path.Combine(staging._dir, (n++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        using (var fs = new FileStream(file, FileMode.CreateNew, FileAccess.Write))
                            e.DataStream?.CopyTo(fs);
                        if (new FileInfo(file).Length != e.Length) throw BerthException.Invalid($"archive entry \"{e.Name}\" is truncated");
                        staging._files[name] = file;
                        staging._links.Remove(name);
                        break;
                    case TarEntryType.SymbolicLink:
                        string parent = name.Contains('/') ? name[..name.LastIndexOf('/')] : "";
                        if (e.LinkName.StartsWith('/'))
                            throw BerthException.Invalid($"archive entry \"{e.Name}\" is a symlink to the absolute path \"{e.LinkName}\"");
                        staging._links[name] = Normalize(e.LinkName, parent, e.Name);
                        staging._files.Remove(name);
                        break;
                    case TarEntryType.HardLink:
                        staging._links[name] = Normalize(e.LinkName, "", e.Name);
                        staging._files.Remove(name);
                        break;
                    default:
                        throw BerthException.Invalid($"archive entry \"{e.Name}\" has unsupported type {e.EntryType}");
                }
            }
            return staging;
        }
        catch
        {
            staging.Dispose();
            throw;
        }
    }

    private static TarEntry? Next(TarReader reader)
    {
        try
        {
            return reader.GetNextEntry();
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or FormatException)
        {
            throw BerthException.Invalid($"image archive is truncated or not a tar: {ex.Message}");
        }
    }

    private static string Normalize(string path, string baseDir, string entryName)
    {
        if (path.StartsWith('/') && baseDir.Length == 0 && entryName == path)
            throw BerthException.Invalid($"archive entry \"{entryName}\" has an absolute path");
        var parts = baseDir.Length == 0 ? new List<string>() : baseDir.Split('/').ToList();
        foreach (var p in path.Split('/'))
        {
            if (p is "" or ".") continue;
            if (p == "..")
            {
                if (parts.Count == 0) throw BerthException.Invalid($"archive entry \"{entryName}\" points outside the archive");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(p);
        }
        return string.Join('/', parts);
    }

    public bool Has(string path) => Resolve(path) != null;

    public Stream Open(string path) =>
        new FileStream(Resolve(path) ?? throw BerthException.Invalid($"image archive has no file \"{path}\""), FileMode.Open, FileAccess.Read);

    public byte[] ReadAll(string path)
    {
        using var s = Open(path);
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private string? Resolve(string path)
    {
        string cur = Normalize(path, "", path);
        for (int hops = 0; hops < 16; hops++)
        {
            if (_files.TryGetValue(cur, out var file)) return file;
            if (!_links.TryGetValue(cur, out var next)) return null;
            cur = next;
        }
        throw BerthException.Invalid($"image archive path \"{path}\" has too many levels of links");
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
