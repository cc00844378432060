using System.Runtime.InteropServices;
using System.Text;
using Berth.Core;

namespace Berth.Runtime.Terminal;

/// <summary>A pseudo-terminal pair: the monitor keeps the master, the container gets the slave as stdio and controlling terminal.</summary>
/// <remarks>
/// Both fds are opened with O_NOCTTY so the monitor (a session leader without a terminal) never acquires the pty itself.
/// The process given the slave must call setsid() and ioctl(0, TIOCSCTTY, 0) to make it its controlling terminal.
/// </remarks>
public sealed unsafe class Pty : IDisposable
{
    private Pty(int master, int slave, string slavePath)
    {
        MasterFd = master;
        SlaveFd = slave;
        SlavePath = slavePath;
    }

    /// <summary>The master side, close-on-exec; -1 once disposed.</summary>
    public int MasterFd { get; private set; }

    /// <summary>The slave side, close-on-exec (dup2 into the child clears that); -1 once closed.</summary>
    public int SlaveFd { get; private set; }

    /// <summary>The slave's path, e.g. /dev/pts/3.</summary>
    public string SlavePath { get; }

    /// <summary>Opens a new pty with the given window size (0 × 0 leaves the kernel default).</summary>
    public static Pty Open(ushort rows, ushort columns)
    {
        int master = TerminalSyscalls.posix_openpt(TerminalSyscalls.O_RDWR | TerminalSyscalls.O_NOCTTY | TerminalSyscalls.O_CLOEXEC);
        if (master < 0)
            throw BerthException.Internal($"posix_openpt: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
        try
        {
            if (TerminalSyscalls.grantpt(master) != 0)
                throw BerthException.Internal($"grantpt: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
            if (TerminalSyscalls.unlockpt(master) != 0)
                throw BerthException.Internal($"unlockpt: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
            byte* name = stackalloc byte[128];
            int rc = TerminalSyscalls.ptsname_r(master, name, 128);
            if (rc != 0)
                throw BerthException.Internal($"ptsname_r: {TerminalSyscalls.Errno(rc)}");
            string path = Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));
            int slave = TerminalSyscalls.open(path, TerminalSyscalls.O_RDWR | TerminalSyscalls.O_NOCTTY | TerminalSyscalls.O_CLOEXEC);
            if (slave < 0)
                throw BerthException.Internal($"open pty slave {path}: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
            var pty = new Pty(master, slave, path);
            if (rows != 0 && columns != 0)
                TerminalSize.Set(master, rows, columns);
            return pty;
        }
        catch
        {
            TerminalSyscalls.close(master);
            throw;
        }
    }

    /// <summary>Closes the monitor's copy of the slave once the child holds it, so reading the master ends with EIO when the child is gone.</summary>
    public void CloseSlave()
    {
        if (SlaveFd >= 0)
        {
            TerminalSyscalls.close(SlaveFd);
            SlaveFd = -1;
        }
    }

    /// <summary>Takes ownership of the master fd away from this object (Dispose will not close it).</summary>
    public int DetachMaster()
    {
        int fd = MasterFd;
        MasterFd = -1;
        return fd;
    }

    public void Dispose()
    {
        CloseSlave();
        if (MasterFd >= 0)
        {
            TerminalSyscalls.close(MasterFd);
            MasterFd = -1;
        }
    }
}
