using System.Runtime.InteropServices;
using Berth.Core;

namespace Berth.Engine.Build;

/// <summary>Writes COPY/ADD entries into a mounted image root: owners set (0:0 unless --chown), modes kept unless --chmod, links copied as links.</summary>
public static partial class FileCopier
{
    /// <summary>Copies one entry to <paramref name="target"/> (a path inside the image); parents are made as needed.</summary>
    public static void Copy(string root, CopyEntry entry, string target, (int Uid, int Gid) owner, UnixFileMode? chmod)
    {
        string host = MakeParents(root, target);
        if (entry.IsDir)
        {
            if (File.Exists(host) && !Directory.Exists(host)) File.Delete(host);
            Directory.CreateDirectory(host);
            File.SetUnixFileMode(host, chmod ?? File.GetUnixFileMode(entry.HostPath));
        }
        else if (entry.IsLink)
        {
            Remove(host);
            File.CreateSymbolicLink(host, new FileInfo(entry.HostPath).LinkTarget!);
        }
        else
        {
            if (Directory.Exists(host) && new DirectoryInfo(host).LinkTarget == null)
                throw BerthException.Invalid($"cannot copy file {entry.Name} to {target}: a directory is there");
            Remove(host);
            File.Copy(entry.HostPath, host);
            File.SetUnixFileMode(host, chmod ?? File.GetUnixFileMode(entry.HostPath));
            File.SetLastWriteTimeUtc(host, File.GetLastWriteTimeUtc(entry.HostPath));
        }
        Chown(host, owner);
    }

    /// <summary>Writes <paramref name="data"/> as the file <paramref name="target"/> (heredoc sources, downloads).</summary>
    public static void WriteFile(string root, string target, Stream data, UnixFileMode mode, (int Uid, int Gid) owner, DateTime? mtime)
    {
        string host = MakeParents(root, target);
        Remove(host);
        using (var fs = new FileStream(host, FileMode.CreateNew, FileAccess.Write)) data.CopyTo(fs);
        File.SetUnixFileMode(host, mode);
        if (mtime != null) File.SetLastWriteTimeUtc(host, mtime.Value);
        Chown(host, owner);
    }

    /// <summary>Creates the directory <paramref name="target"/> (and its parents) inside the image.</summary>
    public static string MakeDirectory(string root, string target, (int Uid, int Gid)? owner)
    {
        string host = Containers.ScopedPath.Resolve(root, target, followFinal: true);
        bool existed = Directory.Exists(host);
        MakeParents(root, target);
        Directory.CreateDirectory(host);
        if (!existed && owner is { } o) Chown(host, o);
        return host;
    }

    /// <summary>Resolves <paramref name="target"/> inside the root (its parents' links followed there) and makes its parent directories.</summary>
    public static string MakeParents(string root, string target)
    {
        string parent = Path.GetDirectoryName(target.TrimEnd('/')) ?? "/";
        string hostParent = Containers.ScopedPath.Resolve(root, parent, followFinal: true);
        Directory.CreateDirectory(hostParent);
        return Path.Combine(hostParent, Path.GetFileName(target.TrimEnd('/')));
    }

    private static void Remove(string host)
    {
        var info = new FileInfo(host);
        if (info.LinkTarget != null || info.Exists) File.Delete(host);
    }

    internal static void Chown(string host, (int Uid, int Gid) owner)
    {
        if (Lchown(host, (uint)owner.Uid, (uint)owner.Gid) != 0)
            throw BerthException.Internal($"lchown {host}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>--chmod: an octal mode such as 755 or 0644.</summary>
    public static UnixFileMode? ParseChmod(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            int mode = Convert.ToInt32(text, 8);
            if (mode is < 0 or > 0xfff) throw new FormatException();
            return (UnixFileMode)mode;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw BerthException.Invalid($"invalid chmod parameter \"{text}\": use an octal mode such as 755");
        }
    }

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Lchown(string path, uint uid, uint gid);
}
