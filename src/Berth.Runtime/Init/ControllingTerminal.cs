using Berth.Runtime.Native;

namespace Berth.Runtime.Init;

/// <summary>Makes the pty on stdin the controlling terminal of the (session-leading) init.</summary>
internal static unsafe class ControllingTerminal
{
    public static void Take()
    {
        if (Libc.ioctl(0, LinuxConstants.TIOCSCTTY, null) != 0)
            throw SetupException.Errno("set controlling terminal (TIOCSCTTY) on stdin", Errno.Last);
    }
}
