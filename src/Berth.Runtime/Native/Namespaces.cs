using Berth.Core;

namespace Berth.Runtime.Native;

/// <summary>Joining namespaces by path (they apply to the calling thread only).</summary>
internal static class Namespaces
{
    public static void Join(string path, int nstype)
    {
        var fd = Libc.open(path, LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        if (fd < 0)
            throw BerthException.Internal($"open namespace {path}: {Errno.DescribeLast()}");
        try
        {
            if (Libc.setns(fd, nstype) != 0)
                throw BerthException.Internal($"setns {path}: {Errno.DescribeLast()}");
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
