using System.Formats.Tar;
using System.Text;
using Berth.Storage.Native;

namespace Berth.Storage;

/// <summary>Writes a directory tree as a deterministic tar (sorted entries, times and owners preserved, symlinks never followed).</summary>
public static class DirectoryTarWriter
{
    /// <summary>
    /// Tars <paramref name="root"/>. With <paramref name="overlayUpper"/> the tree is an overlay upper dir and is written
    /// in OCI form (0/0 char devices become <c>.wh.name</c>, opaque dirs get <c>.wh..wh..opq</c>). With
    /// <paramref name="stayOnFileSystem"/> directories on other mounts (e.g. /proc inside a rootfs) are written empty.
    /// </summary>
    public static void Write(string root, Stream output, bool overlayUpper, bool stayOnFileSystem = true) =>
        Write(root, output, overlayUpper, stayOnFileSystem, namePrefix: "");

    /// <summary>As <see cref="Write(string, Stream, bool, bool)"/>, with every entry name under <paramref name="namePrefix"/> (docker cp of a directory).</summary>
    public static void Write(string root, Stream output, bool overlayUpper, bool stayOnFileSystem, string namePrefix)
    {
        root = Path.GetFullPath(root).TrimEnd('/');
        if (!LibC.TryLstat(root, out var rootSt) || (rootSt.Mode & LibC.S_IFMT) != LibC.S_IFDIR)
            throw Core.BerthException.NotFound($"directory {root} not found");
        long start = output.CanSeek ? output.Position : -1;
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            var links = new Dictionary<(uint, uint, ulong), string>();
            if (namePrefix.Length > 0) writer.WriteEntry(Make(TarEntryType.Directory, namePrefix + "/", rootSt, ReadXattrs(root)));
            WriteChildren(writer, root, namePrefix, rootSt, overlayUpper, stayOnFileSystem, links);
        }
        // TarWriter writes no end-of-archive blocks when it wrote no entry; an empty diff (a RUN that changed nothing) must
        // still be a tar archive, or committing it fails as a truncated layer.
        if (start >= 0 && output.Position == start) output.Write(new byte[1024]);
    }

    private static void WriteChildren(TarWriter writer, string dir, string relDir, LibC.StatxBuf rootSt, bool overlayUpper,
        bool stayOnFs, Dictionary<(uint, uint, ulong), string> links)
    {
        var names = new List<string>();
        foreach (var p in Directory.EnumerateFileSystemEntries(dir)) names.Add(Path.GetFileName(p));
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            string path = dir + "/" + name;
            string rel = relDir.Length == 0 ? name : relDir + "/" + name;
            if (!LibC.TryLstat(path, out var st)) continue; // removed while walking
            uint type = st.Mode & LibC.S_IFMT;
            if (overlayUpper && type == LibC.S_IFCHR && st.RdevMajor == 0 && st.RdevMinor == 0)
            {
                string wh = (relDir.Length == 0 ? "" : relDir + "/") + ".wh." + name;
                writer.WriteEntry(Make(TarEntryType.RegularFile, wh, st, null));
                continue;
            }
            var xattrs = ReadXattrs(path);
            switch (type)
            {
                case LibC.S_IFDIR:
                    bool opaque = overlayUpper && xattrs.Remove("trusted.overlay.opaque", out var v) && v.AsSpan().SequenceEqual("y"u8);
                    writer.WriteEntry(Make(TarEntryType.Directory, rel + "/", st, xattrs));
                    if (opaque) writer.WriteEntry(Make(TarEntryType.RegularFile, rel + "/.wh..wh..opq", st, null));
                    if (stayOnFs && (st.DevMajor != rootSt.DevMajor || st.DevMinor != rootSt.DevMinor)) break;
                    WriteChildren(writer, path, rel, rootSt, overlayUpper, stayOnFs, links);
                    break;
                case LibC.S_IFREG:
                    var key = (st.DevMajor, st.DevMinor, st.Ino);
                    if (st.Nlink > 1 && links.TryGetValue(key, out var first))
                    {
                        var hl = Make(TarEntryType.HardLink, rel, st, xattrs);
                        hl.LinkName = first;
                        writer.WriteEntry(hl);
                        break;
                    }
                    if (st.Nlink > 1) links[key] = rel;
                    var e = Make(TarEntryType.RegularFile, rel, st, xattrs);
                    using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16))
                    {
                        e.DataStream = fs;
                        writer.WriteEntry(e);
                    }
                    break;
                case LibC.S_IFLNK:
                    var l = Make(TarEntryType.SymbolicLink, rel, st, xattrs);
                    l.LinkName = new FileInfo(path).LinkTarget ?? "";
                    writer.WriteEntry(l);
                    break;
                case LibC.S_IFIFO:
                    writer.WriteEntry(Make(TarEntryType.Fifo, rel, st, xattrs));
                    break;
                case LibC.S_IFCHR or LibC.S_IFBLK:
                    var d = Make(type == LibC.S_IFCHR ? TarEntryType.CharacterDevice : TarEntryType.BlockDevice, rel, st, xattrs);
                    d.DeviceMajor = (int)st.RdevMajor;
                    d.DeviceMinor = (int)st.RdevMinor;
                    writer.WriteEntry(d);
                    break;
                default:
                    break; // sockets are not archived, as in Docker
            }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static bool TryDecodeUtf8(byte[] bytes, out string text)
    {
        try
        {
            text = StrictUtf8.GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = "";
            return false;
        }
    }

    private static PaxTarEntry Make(TarEntryType type, string name, LibC.StatxBuf st, Dictionary<string, byte[]>? xattrs)
    {
        var ext = new Dictionary<string, string>();
        if (xattrs != null)
            foreach (var (k, v) in xattrs)
                if (!k.StartsWith("trusted.", StringComparison.Ordinal) && TryDecodeUtf8(v, out var text))
                    ext["SCHILY.xattr." + k] = text; // PAX values are written as UTF-8; binary values cannot be carried
        var e = new PaxTarEntry(type, name, ext)
        {
            Uid = (int)st.Uid,
            Gid = (int)st.Gid,
            Mode = (UnixFileMode)(st.Mode & 0xfff),
            ModificationTime = DateTimeOffset.FromUnixTimeSeconds(st.MtimeSec),
        };
        return e;
    }

    private static unsafe Dictionary<string, byte[]> ReadXattrs(string path)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        nint len = LibC.Llistxattr(path, null, 0);
        if (len <= 0) return result;
        byte[] list = new byte[len];
        fixed (byte* lp = list) len = LibC.Llistxattr(path, lp, (nuint)list.Length);
        if (len <= 0) return result;
        foreach (var name in Encoding.UTF8.GetString(list, 0, (int)len).Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            nint vlen = LibC.Lgetxattr(path, name, null, 0);
            if (vlen < 0) continue;
            byte[] value = new byte[vlen];
            fixed (byte* vp = value) vlen = LibC.Lgetxattr(path, name, vp, (nuint)value.Length);
            if (vlen < 0) continue;
            result[name] = value[..(int)vlen];
        }
        return result;
    }
}
