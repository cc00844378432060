using System.Runtime.InteropServices;

namespace Berth.Network.Native;

/// <summary>Formats errno values the way Berth's messages show them: "EEXIST (17)".</summary>
internal static class Errno
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [9] = "EBADF",
        [11] = "EAGAIN", [12] = "ENOMEM", [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY",
        [17] = "EEXIST", [19] = "ENODEV", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE",
        [28] = "ENOSPC", [34] = "ERANGE", [36] = "ENAMETOOLONG", [38] = "ENOSYS", [90] = "EMSGSIZE",
        [93] = "EPROTONOSUPPORT", [95] = "EOPNOTSUPP", [97] = "EAFNOSUPPORT", [98] = "EADDRINUSE",
        [99] = "EADDRNOTAVAIL", [101] = "ENETUNREACH", [105] = "ENOBUFS",
    };

    public const int EINTR = 4;
    public const int ENOENT = 2;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ESRCH = 3;
    public const int EADDRNOTAVAIL = 99;

    public static int Last => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) =>
        $"{(Names.TryGetValue(errno, out var name) ? name : "errno")} ({errno})";

    public static string DescribeLast() => Describe(Last);
}
