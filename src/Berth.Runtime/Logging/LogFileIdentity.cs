using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Logging;

/// <summary>Inode numbers of log files, to notice when the file at a path was rotated away from an open handle.</summary>
internal static unsafe partial class LogFileIdentity
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte* buf);

    /// <summary>The inode of the file at <paramref name="path"/>, or 0 when it does not exist.</summary>
    public static ulong OfPath(string path) => Stat(AtFdCwd, path, 0);

    /// <summary>The inode of an open file.</summary>
    public static ulong OfHandle(SafeFileHandle handle)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return Stat((int)handle.DangerousGetHandle(), "", AtEmptyPath);
        }
        finally
        {
            if (added)
                handle.DangerousRelease();
        }
    }

    private static ulong Stat(int dirfd, string path, int flags)
    {
        // struct statx is 256 bytes with a fixed layout on every architecture; stx_ino is at offset 32.
        byte* buf = stackalloc byte[256];
        if (statx(dirfd, path, flags, StatxIno, buf) != 0)
            return 0;
        return *(ulong*)(buf + 32);
    }
}
