using System.Runtime.InteropServices;
using Berth.Core;

namespace Berth.Runtime.Terminal;

/// <summary>Reads and sets a terminal's window size (TIOCGWINSZ / TIOCSWINSZ).</summary>
public static unsafe class TerminalSize
{
    /// <summary>Sets the window size of the terminal open on <paramref name="fd"/>; the foreground process group gets SIGWINCH.</summary>
    public static void Set(int fd, ushort rows, ushort columns)
    {
        var ws = new TerminalSyscalls.Winsize { Rows = rows, Columns = columns };
        if (TerminalSyscalls.ioctl(fd, TerminalSyscalls.TIOCSWINSZ, &ws) != 0)
            throw BerthException.Internal($"TIOCSWINSZ {rows}x{columns} on fd {fd}: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>Gets the window size of the terminal open on <paramref name="fd"/>; false when it is not a terminal.</summary>
    public static bool TryGet(int fd, out ushort rows, out ushort columns)
    {
        var ws = default(TerminalSyscalls.Winsize);
        if (TerminalSyscalls.ioctl(fd, TerminalSyscalls.TIOCGWINSZ, &ws) != 0)
        {
            rows = columns = 0;
            return false;
        }
        rows = ws.Rows;
        columns = ws.Columns;
        return true;
    }
}
