using System.Formats.Tar;
using System.Text;
using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage;

/// <summary>
/// Unpacks an OCI layer tar into an empty directory in overlayfs form (whiteouts become 0/0 char devices,
/// opaque markers the trusted.overlay.opaque xattr). Hostile entries are refused: paths escaping the root,
/// writes through symlinked parents, hardlinks to outside the layer.
/// </summary>
internal sealed class LayerUnpacker
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";
    private readonly string _root;
    private readonly string _label;
    private readonly List<(string Path, DateTimeOffset Mtime, UnixFileMode Mode)> _dirs = new();

    public LayerUnpacker(string root, string label)
    {
        _root = root;
        _label = label;
    }

    /// <summary>Total bytes of regular file content written.</summary>
    public long Size { get; private set; }

    public void Unpack(TarReader reader, Func<long> offset)
    {
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = reader.GetNextEntry();
            }
            catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or FormatException or ArgumentException)
            {
                throw Truncated(offset(), ex);
            }
            if (entry == null) break;
            Apply(entry, offset);
        }
        // Directory times last: creating children changed them.
        foreach (var (path, mtime, mode) in _dirs)
        {
            Chmod(path, mode);
            SetMtime(path, mtime);
        }
    }

    private BerthException Truncated(long offset, Exception? inner) =>
        new(ErrorKind.InvalidArgument, $"layer {_label} truncated at offset {offset}" + (inner != null ? $": {inner.Message}" : ""), inner);

    private void Apply(TarEntry entry, Func<long> offset)
    {
        if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) return;
        string rel = Normalize(entry.Name, entry.Name);
        string name = rel.Length == 0 ? "" : rel[(rel.LastIndexOf('/') + 1)..];
        string parentRel = rel.Contains('/') ? rel[..rel.LastIndexOf('/')] : "";

        if (rel.Length == 0)
        {
            // The layer root itself ("./"): only directory metadata applies.
            if (entry.EntryType == TarEntryType.Directory) SetOwnerAndRemember(_root, entry);
            return;
        }
        string parent = EnsureParents(parentRel, entry.Name);
        string path = parent + "/" + name;

        if (name.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            if (name == OpaqueMarker)
                SetXattr(parent, "trusted.overlay.opaque", "y"u8);
            else if (!name.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
            {
                string hidden = name[WhiteoutPrefix.Length..];
                if (hidden is "" or "." or "..") throw Hostile(entry.Name, "is not a valid whiteout");
                string target = parent + "/" + hidden;
                RemoveExisting(target);
                Check(LibC.Mknod(target, LibC.S_IFCHR | 0, 0), "mknod", target);
            }
            return;
        }

        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!LibC.TryLstat(path, out var st) || (st.Mode & LibC.S_IFMT) != LibC.S_IFDIR)
                {
                    RemoveExisting(path);
                    Directory.CreateDirectory(path);
                }
                SetOwnerAndRemember(path, entry);
                break;
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                RemoveExisting(path);
                WriteFile(path, entry, offset);
                SetMetadata(path, entry, isLink: false);
                break;
            case TarEntryType.SymbolicLink:
                RemoveExisting(path);
                if (string.IsNullOrEmpty(entry.LinkName)) throw Hostile(entry.Name, "is a symlink without a target");
                File.CreateSymbolicLink(path, entry.LinkName);
                SetMetadata(path, entry, isLink: true);
                break;
            case TarEntryType.HardLink:
                string targetRel = Normalize(entry.LinkName, entry.Name);
                if (targetRel.Length == 0) throw Hostile(entry.Name, $"is a hardlink to the layer root");
                string targetParent = EnsureParents(targetRel.Contains('/') ? targetRel[..targetRel.LastIndexOf('/')] : "", entry.Name, create: false);
                string target = targetParent + "/" + targetRel[(targetRel.LastIndexOf('/') + 1)..];
                if (!LibC.TryLstat(target, out var tst))
                    throw Hostile(entry.Name, $"is a hardlink to \"{entry.LinkName}\", which is not in this layer");
                if ((tst.Mode & LibC.S_IFMT) == LibC.S_IFDIR) throw Hostile(entry.Name, "is a hardlink to a directory");
                RemoveExisting(path);
                Check(LibC.Link(target, path), "link", path);
                break;
            case TarEntryType.Fifo:
                RemoveExisting(path);
                Check(LibC.Mknod(path, LibC.S_IFIFO | 0x180, 0), "mkfifo", path);
                SetMetadata(path, entry, isLink: false);
                break;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                // Containers get /dev from the runtime; device nodes in images are never needed and a risk.
                break;
            default:
                throw Hostile(entry.Name, $"has unsupported tar entry type {entry.EntryType}");
        }
    }

    /// <summary>Turns a tar path into a root-relative path without "." or ".."; absolute paths are taken as inside the root.</summary>
    private string Normalize(string? tarPath, string entryName)
    {
        if (tarPath == null) return "";
        if (tarPath.Contains('\0')) throw Hostile(entryName, "has a NUL byte in its path");
        var parts = new List<string>();
        foreach (var part in tarPath.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) throw Hostile(entryName, $"path \"{tarPath}\" escapes the layer root");
                parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return string.Join('/', parts);
    }

    /// <summary>Walks the parent path one component at a time with lstat, creating missing directories and refusing symlinks or files on the way.</summary>
    private string EnsureParents(string parentRel, string entryName, bool create = true)
    {
        string cur = _root;
        if (parentRel.Length == 0) return cur;
        foreach (var part in parentRel.Split('/'))
        {
            cur = cur + "/" + part;
            if (LibC.TryLstat(cur, out var st))
            {
                uint type = st.Mode & LibC.S_IFMT;
                if (type == LibC.S_IFLNK)
                    throw Hostile(entryName, $"has a parent \"{cur[(_root.Length + 1)..]}\" that is a symlink; refusing to write through it");
                if (type != LibC.S_IFDIR)
                    throw Hostile(entryName, $"has a parent \"{cur[(_root.Length + 1)..]}\" that is not a directory");
            }
            else if (create)
            {
                Directory.CreateDirectory(cur);
            }
            else
            {
                throw Hostile(entryName, $"refers to \"{cur[(_root.Length + 1)..]}\", which is not in this layer");
            }
        }
        return cur;
    }

    private static void RemoveExisting(string path)
    {
        if (!LibC.TryLstat(path, out var st)) return;
        // RemoveTree walks with lstat, so a symlink inside a replaced directory is unlinked, never followed.
        if ((st.Mode & LibC.S_IFMT) == LibC.S_IFDIR) SnapshotStore.RemoveTree(path);
        else File.Delete(path);
    }

    private void WriteFile(string path, TarEntry entry, Func<long> offset)
    {
        long written = 0;
        // CreateNew is O_CREAT|O_EXCL, which never follows a symlink at the last component.
        using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (entry.DataStream != null)
            {
                byte[] buf = new byte[1 << 16];
                int n;
                try
                {
                    while ((n = entry.DataStream.Read(buf, 0, buf.Length)) > 0)
                    {
                        fs.Write(buf, 0, n);
                        written += n;
                    }
                }
                catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or FormatException)
                {
                    throw Truncated(offset(), ex);
                }
            }
        }
        if (written != entry.Length) throw Truncated(offset(), null);
        Size += written;
    }

    private void SetOwnerAndRemember(string path, TarEntry entry)
    {
        Check(LibC.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), "lchown", path);
        SetXattrs(path, entry);
        _dirs.Add((path, entry.ModificationTime, entry.Mode));
    }

    private void SetMetadata(string path, TarEntry entry, bool isLink)
    {
        Check(LibC.Lchown(path, (uint)entry.Uid, (uint)entry.Gid), "lchown", path);
        // chown clears setuid/setgid, so the mode goes after it.
        if (!isLink) Chmod(path, entry.Mode);
        SetXattrs(path, entry);
        SetMtime(path, entry.ModificationTime);
    }

    private static void Chmod(string path, UnixFileMode mode) => Check(LibC.Chmod(path, (uint)mode & 0xfff), "chmod", path);

    private void SetXattrs(string path, TarEntry entry)
    {
        if (entry is not PaxTarEntry pax) return;
        foreach (var (key, value) in pax.ExtendedAttributes)
        {
            string name;
            byte[] bytes;
            if (key.StartsWith("SCHILY.xattr.", StringComparison.Ordinal))
            {
                // System.Formats.Tar decodes PAX values as UTF-8, so a binary value that was not valid UTF-8 arrives mangled;
                // setting it would store garbage (or fail with EINVAL for security.capability), so it is left out.
                if (value.Contains('\uFFFD')) continue;
                name = key["SCHILY.xattr.".Length..];
                bytes = Encoding.UTF8.GetBytes(value);
            }
            else if (key.StartsWith("LIBARCHIVE.xattr.", StringComparison.Ordinal))
            {
                name = Uri.UnescapeDataString(key["LIBARCHIVE.xattr.".Length..]);
                try { bytes = Convert.FromBase64String(value); } catch (FormatException) { continue; }
            }
            else continue;
            // trusted.* (overlay's redirect, metacopy, opaque) would let a layer steer the overlay mount.
            if (name.StartsWith("trusted.", StringComparison.Ordinal)) continue;
            SetXattr(path, name, bytes);
        }
    }

    private static unsafe void SetXattr(string path, string name, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = value)
        {
            if (LibC.Lsetxattr(path, name, p, (nuint)value.Length, 0) != 0)
            {
                int e = LibC.Errno;
                if (e == LibC.ENOTSUP) return; // the backing filesystem has no xattrs of this namespace; Docker ignores this too
                throw new BerthException(ErrorKind.Internal, $"setxattr {name} on {path}: {LibC.ErrnoName(e)}");
            }
        }
    }

    private static unsafe void SetMtime(string path, DateTimeOffset mtime)
    {
        long ticks = mtime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var t = stackalloc LibC.Timespec[2];
        t[0] = new LibC.Timespec { Sec = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long rem), Nsec = rem * 100 };
        if (rem < 0) t[0] = new LibC.Timespec { Sec = t[0].Sec - 1, Nsec = (rem + TimeSpan.TicksPerSecond) * 100 };
        t[1] = t[0];
        Check(LibC.Utimensat(LibC.AT_FDCWD, path, t, LibC.AT_SYMLINK_NOFOLLOW), "utimensat", path);
    }

    private static void Check(int rc, string op, string path)
    {
        if (rc != 0)
        {
            int e = LibC.Errno;
            throw new BerthException(ErrorKind.Internal, $"{op} {path}: {LibC.ErrnoName(e)}");
        }
    }

    private BerthException Hostile(string entryName, string what) =>
        BerthException.Invalid($"layer {_label}: tar entry \"{entryName}\" {what}");
}
