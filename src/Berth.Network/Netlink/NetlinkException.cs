using Berth.Core;
using Berth.Network.Native;

namespace Berth.Network.Netlink;

/// <summary>A netlink request the kernel refused; <see cref="Errno"/> is the kernel's error number.</summary>
public sealed class NetlinkException : BerthException
{
    public NetlinkException(string message, int errno) : base(KindOf(errno), message) => Errno = errno;

    /// <summary>The positive errno the kernel returned (17 = EEXIST, 19 = ENODEV, ...).</summary>
    public int Errno { get; }

    internal static NetlinkException From(string operation, string subject, int errno) =>
        new($"{operation} {subject}: {Native.Errno.Describe(errno)}", errno);

    private static ErrorKind KindOf(int errno) => errno switch
    {
        Native.Errno.EEXIST => ErrorKind.Conflict,
        Native.Errno.ENODEV or Native.Errno.ENOENT or Native.Errno.ESRCH or Native.Errno.EADDRNOTAVAIL => ErrorKind.NotFound,
        22 or 34 => ErrorKind.InvalidArgument,
        _ => ErrorKind.Internal,
    };
}
