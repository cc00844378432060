namespace Berth.Cli.Terminal;

/// <summary>Puts a terminal in raw mode for a -t session and restores the saved mode on dispose.</summary>
public sealed unsafe class RawTerminal : IDisposable
{
    // struct termios is 60 bytes on Linux/glibc; the buffer leaves room.
    private readonly byte[] _saved = new byte[128];
    private readonly int _fd;
    private bool _restored;

    private RawTerminal(int fd) => _fd = fd;

    /// <summary>Switches fd to raw mode; null when fd is not a terminal.</summary>
    public static RawTerminal? Enable(int fd)
    {
        if (Libc.isatty(fd) != 1) return null;
        var t = new RawTerminal(fd);
        fixed (byte* saved = t._saved)
        {
            if (Libc.tcgetattr(fd, saved) != 0) return null;
            byte* raw = stackalloc byte[128];
            new Span<byte>(saved, 128).CopyTo(new Span<byte>(raw, 128));
            Libc.cfmakeraw(raw);
            if (Libc.tcsetattr(fd, Libc.TCSANOW, raw) != 0) return null;
        }
        return t;
    }

    public void Dispose()
    {
        if (_restored) return;
        _restored = true;
        fixed (byte* saved = _saved) Libc.tcsetattr(_fd, Libc.TCSANOW, saved);
    }

    public static bool IsTerminal(int fd) => Libc.isatty(fd) == 1;

    /// <summary>The terminal's (rows, columns), or (0, 0) when fd is not a terminal.</summary>
    public static (int Height, int Width) Size(int fd)
    {
        Libc.WinSize ws;
        if (Libc.ioctl(fd, Libc.TIOCGWINSZ, &ws) != 0) return (0, 0);
        return (ws.Rows, ws.Cols);
    }
}
