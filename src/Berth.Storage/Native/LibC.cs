using System.Runtime.InteropServices;

namespace Berth.Storage.Native;

/// <summary>The libc calls the storage layer needs that .NET does not expose (mount, mknod, xattrs, lchown, statx).</summary>
internal static unsafe partial class LibC
{
    public const int AT_FDCWD = -100;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int MNT_DETACH = 2;
    public const uint S_IFMT = 0xF000;
    public const uint S_IFCHR = 0x2000;
    public const uint S_IFBLK = 0x6000;
    public const uint S_IFIFO = 0x1000;
    public const uint S_IFDIR = 0x4000;
    public const uint S_IFREG = 0x8000;
    public const uint S_IFLNK = 0xA000;
    public const int ENODATA = 61;
    public const int ENOTSUP = 95;
    public const int ERANGE = 34;
    public const int EINVAL = 22;
    public const int ENOENT = 2;

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fstype, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mknod(string path, uint mode, ulong dev);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Lchown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Lsetxattr(string path, string name, byte* value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Lgetxattr(string path, string name, byte* value, nuint size);

    [LibraryImport("libc", EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint Llistxattr(string path, byte* list, nuint size);

    [LibraryImport("libc", EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Utimensat(int dirfd, string path, Timespec* times, int flags);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirfd, string path, int flags, uint mask, StatxBuf* buf);

    public const uint FSOPEN_CLOEXEC = 1;
    public const uint FSCONFIG_SET_STRING = 1;
    public const uint FSCONFIG_CMD_CREATE = 6;
    public const uint FSMOUNT_CLOEXEC = 1;
    public const uint MOVE_MOUNT_F_EMPTY_PATH = 4;

    [LibraryImport("libc", EntryPoint = "fsopen", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Fsopen(string fsName, uint flags);

    [LibraryImport("libc", EntryPoint = "fsconfig", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Fsconfig(int fd, uint cmd, string? key, string? value, int aux);

    [LibraryImport("libc", EntryPoint = "fsmount", SetLastError = true)]
    public static partial int Fsmount(int fd, uint flags, uint attrFlags);

    [LibraryImport("libc", EntryPoint = "move_mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MoveMount(int fromDirfd, string fromPath, int toDirfd, string toPath, uint flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buf, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Sec;
        public long Nsec;
    }

    /// <summary>struct statx; its layout is the same on every architecture, unlike struct stat.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuf
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(16)] public uint Nlink;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(48)] public ulong Blocks;
        [FieldOffset(112)] public long MtimeSec;
        [FieldOffset(120)] public uint MtimeNsec;
        [FieldOffset(128)] public uint RdevMajor;
        [FieldOffset(132)] public uint RdevMinor;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    public static int Errno => Marshal.GetLastPInvokeError();

    /// <summary>"ENOENT (2)"-style text for an errno, as error messages name it.</summary>
    public static string ErrnoName(int errno) => (errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 5 => "EIO", 13 => "EACCES", 16 => "EBUSY", 17 => "EEXIST",
        20 => "ENOTDIR", 21 => "EISDIR", 22 => "EINVAL", 28 => "ENOSPC", 30 => "EROFS", 34 => "ERANGE",
        36 => "ENAMETOOLONG", 39 => "ENOTEMPTY", 40 => "ELOOP", 61 => "ENODATA", 95 => "EOPNOTSUPP",
        _ => "errno",
    }) + $" ({errno})";

    /// <summary>lstat via statx; returns false when the path does not exist.</summary>
    public static bool TryLstat(string path, out StatxBuf st)
    {
        StatxBuf buf;
        int rc = Statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, 0x7ff, &buf);
        st = buf;
        if (rc == 0) return true;
        int e = Errno;
        if (e == ENOENT || e == 20) return false;
        throw new IOException($"statx {path}: {ErrnoName(e)}");
    }

    public static ulong MakeDev(uint major, uint minor) =>
        ((ulong)(major & 0xfffff000) << 32) | ((ulong)(major & 0xfff) << 8) | ((ulong)(minor & 0xffffff00) << 12) | (minor & 0xff);
}
