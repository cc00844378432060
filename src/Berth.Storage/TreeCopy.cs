using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage;

/// <summary>
/// Copies a directory tree keeping owners, modes, modification times, symlinks, hard links, fifos and
/// device nodes: the copy-up that fills an empty volume from the image path it is mounted over.
/// Symlinks are copied as links, never followed, so a link in the source cannot pull host files in.
/// </summary>
public static class TreeCopy
{
    /// <summary>Copies the contents of <paramref name="source"/> into the existing directory <paramref name="target"/>, and the source directory's owner and mode onto it.</summary>
    public static void CopyContents(string source, string target)
    {
        if (!LibC.TryLstat(source, out var root) || (root.Mode & LibC.S_IFMT) != LibC.S_IFDIR)
            throw BerthException.Invalid($"copy-up source {source} is not a directory");
        var links = new Dictionary<ulong, string>();
        var dirs = new List<(string Path, LibC.StatxBuf St)>();
        foreach (var child in Directory.EnumerateFileSystemEntries(source))
            CopyEntry(child, Path.Combine(target, Path.GetFileName(child)), links, dirs);
        SetOwnerMode(target, root);
        dirs.Add((target, root));
        // Directory times last: writing into a directory moves its mtime.
        for (int i = dirs.Count - 1; i >= 0; i--) SetTimes(dirs[i].Path, dirs[i].St);
    }

    private static void CopyEntry(string src, string dst, Dictionary<ulong, string> links, List<(string, LibC.StatxBuf)> dirs)
    {
        if (!LibC.TryLstat(src, out var st)) return;
        uint type = st.Mode & LibC.S_IFMT;
        if (type != LibC.S_IFDIR && st.Nlink > 1)
        {
            if (links.TryGetValue(st.Ino, out var first))
            {
                Check(LibC.Link(first, dst), "link", dst);
                return;
            }
            links[st.Ino] = dst;
        }
        switch (type)
        {
            case LibC.S_IFDIR:
                Directory.CreateDirectory(dst);
                foreach (var child in Directory.EnumerateFileSystemEntries(src))
                    CopyEntry(child, Path.Combine(dst, Path.GetFileName(child)), links, dirs);
                SetOwnerMode(dst, st);
                dirs.Add((dst, st));
                return;
            case LibC.S_IFREG:
                using (var input = new FileStream(src, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan))
                using (var output = new FileStream(dst, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
                    input.CopyTo(output, 128 * 1024);
                break;
            case LibC.S_IFLNK:
                File.CreateSymbolicLink(dst, new FileInfo(src).LinkTarget!);
                Check(LibC.Lchown(dst, st.Uid, st.Gid), "lchown", dst);
                return;
            case LibC.S_IFIFO:
            case LibC.S_IFCHR:
            case LibC.S_IFBLK:
                Check(LibC.Mknod(dst, st.Mode, LibC.MakeDev(st.RdevMajor, st.RdevMinor)), "mknod", dst);
                break;
            default:
                return; // sockets are not copied, as with any archive
        }
        SetOwnerMode(dst, st);
        SetTimes(dst, st);
    }

    private static void SetOwnerMode(string path, LibC.StatxBuf st)
    {
        Check(LibC.Lchown(path, st.Uid, st.Gid), "lchown", path);
        // chown clears setuid/setgid, so the mode goes after it.
        Check(LibC.Chmod(path, st.Mode & 0xfffu), "chmod", path);
    }

    private static unsafe void SetTimes(string path, LibC.StatxBuf st)
    {
        var times = stackalloc LibC.Timespec[2];
        times[0] = new LibC.Timespec { Sec = st.MtimeSec, Nsec = st.MtimeNsec };
        times[1] = times[0];
        LibC.Utimensat(LibC.AT_FDCWD, path, times, LibC.AT_SYMLINK_NOFOLLOW);
    }

    private static void Check(int rc, string op, string path)
    {
        if (rc != 0) throw BerthException.Internal($"copy-up: {op} {path}: {LibC.ErrnoName(LibC.Errno)}");
    }
}
