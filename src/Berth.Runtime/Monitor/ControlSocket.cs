using System.Text;
using Berth.Core;

namespace Berth.Runtime.Monitor;

/// <summary>The listening unix socket &lt;stateDir&gt;/monitor.sock, made with raw syscalls for the poll loop.</summary>
internal static unsafe class ControlSocket
{
    public const string FileName = "monitor.sock";
    /// <summary>sun_path holds 108 bytes including the terminating NUL.</summary>
    public const int MaxPathBytes = 107;

    /// <summary>Binds and listens (non-blocking, close-on-exec); a stale socket file is replaced.</summary>
    public static int Listen(string path)
    {
        int length = Encoding.UTF8.GetByteCount(path);
        if (length > MaxPathBytes)
            throw BerthException.Invalid($"monitor socket path {path} is {length} bytes; unix sockets allow {MaxPathBytes}");
        File.Delete(path);
        int fd = MonitorSyscalls.socket(MonitorSyscalls.AF_UNIX, MonitorSyscalls.SOCK_STREAM | MonitorSyscalls.SOCK_CLOEXEC | MonitorSyscalls.SOCK_NONBLOCK, 0);
        if (fd < 0)
            throw BerthException.Internal($"socket for {path}: {MonitorSyscalls.DescribeLast()}");
        byte* addr = stackalloc byte[110];
        new Span<byte>(addr, 110).Clear();
        addr[0] = 1; // AF_UNIX, little-endian sa_family_t
        Encoding.UTF8.GetBytes(path, new Span<byte>(addr + 2, 108));
        if (MonitorSyscalls.bind(fd, addr, 110) != 0 || MonitorSyscalls.listen(fd, 64) != 0)
        {
            string err = MonitorSyscalls.DescribeLast();
            MonitorSyscalls.close(fd);
            throw BerthException.Internal($"listen on {path}: {err}");
        }
        return fd;
    }

    /// <summary>Accepts one pending connection as a blocking socket with a send timeout (a stuck client cannot stall the monitor for long); -1 when none.</summary>
    public static int Accept(int listenFd)
    {
        int fd = MonitorSyscalls.accept4(listenFd, null, null, MonitorSyscalls.SOCK_CLOEXEC);
        if (fd < 0)
            return -1;
        long* timeout = stackalloc long[2];
        timeout[0] = 30; // seconds
        timeout[1] = 0;
        MonitorSyscalls.setsockopt(fd, MonitorSyscalls.SOL_SOCKET, MonitorSyscalls.SO_SNDTIMEO, timeout, 16);
        return fd;
    }
}
