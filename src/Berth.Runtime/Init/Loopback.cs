using Berth.Runtime.Native;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>Brings "lo" up in a fresh network namespace (a new netns starts with it down).</summary>
internal static unsafe class Loopback
{
    private const short IFF_UP = 1;

    public static void Up()
    {
        var fd = Libc.socket(AF_INET, SOCK_DGRAM | 0x80000, 0);
        if (fd < 0)
            throw SetupException.Errno("socket for lo", Errno.Last);
        try
        {
            // struct ifreq: 16-byte name, then the flags (a short) at offset 16; 40 bytes in all.
            var ifr = stackalloc byte[40];
            new Span<byte>(ifr, 40).Clear();
            ifr[0] = (byte)'l';
            ifr[1] = (byte)'o';
            if (Libc.ioctl(fd, SIOCGIFFLAGS, ifr) != 0)
                throw SetupException.Errno("get flags of lo", Errno.Last);
            *(short*)(ifr + 16) |= IFF_UP;
            if (Libc.ioctl(fd, SIOCSIFFLAGS, ifr) != 0)
                throw SetupException.Errno("bring lo up", Errno.Last);
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
