using System.Runtime.InteropServices;
using Berth.Core;

namespace Berth.Runtime.Terminal;

/// <summary>Puts a local terminal into raw mode (for `run -it` / `attach` on the CLI side) and restores it on dispose.</summary>
public sealed unsafe class RawTerminal : IDisposable
{
    private readonly int _fd;
    private readonly byte[] _saved;
    private bool _restored;

    private RawTerminal(int fd, byte[] saved)
    {
        _fd = fd;
        _saved = saved;
    }

    /// <summary>True when <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => TerminalSyscalls.isatty(fd) == 1;

    /// <summary>Saves the current termios of <paramref name="fd"/> and switches it to raw mode (cfmakeraw).</summary>
    public static RawTerminal Enter(int fd = 0)
    {
        var saved = new byte[TerminalSyscalls.TermiosSize];
        byte* raw = stackalloc byte[TerminalSyscalls.TermiosSize];
        fixed (byte* s = saved)
        {
            if (TerminalSyscalls.tcgetattr(fd, s) != 0)
                throw BerthException.Invalid($"tcgetattr on fd {fd}: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
            new Span<byte>(s, TerminalSyscalls.TermiosSize).CopyTo(new Span<byte>(raw, TerminalSyscalls.TermiosSize));
        }
        TerminalSyscalls.cfmakeraw(raw);
        if (TerminalSyscalls.tcsetattr(fd, TerminalSyscalls.TCSANOW, raw) != 0)
            throw BerthException.Internal($"tcsetattr raw on fd {fd}: {TerminalSyscalls.Errno(Marshal.GetLastPInvokeError())}");
        return new RawTerminal(fd, saved);
    }

    /// <summary>Restores the saved mode (idempotent).</summary>
    public void Dispose()
    {
        if (_restored)
            return;
        _restored = true;
        fixed (byte* s = _saved)
            TerminalSyscalls.tcsetattr(_fd, TerminalSyscalls.TCSANOW, s);
    }
}
