using System.Runtime.InteropServices;

namespace Berth.Runtime.Native;

/// <summary>Formats errno values the way Berth's messages show them: "EINVAL (22)".</summary>
internal static class Errno
{
    private static readonly string[] Names =
    [
        "0", "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG", "ENOEXEC", "EBADF", "ECHILD",
        "EAGAIN", "ENOMEM", "EACCES", "EFAULT", "ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR",
        "EISDIR", "EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC", "ESPIPE", "EROFS",
        "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK", "ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP",
    ];

    /// <summary>The last P/Invoke error of this thread.</summary>
    public static int Last => Marshal.GetLastPInvokeError();

    public static string Describe(int errno)
    {
        var name = errno >= 0 && errno < Names.Length ? Names[errno] : "errno";
        return $"{name} ({errno})";
    }

    public static string DescribeLast() => Describe(Last);
}
