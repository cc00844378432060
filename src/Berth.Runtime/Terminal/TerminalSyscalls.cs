using System.Runtime.InteropServices;

namespace Berth.Runtime.Terminal;

/// <summary>libc entry points for pseudo-terminals and termios.</summary>
internal static unsafe partial class TerminalSyscalls
{
    public const int O_RDWR = 0x2;
    public const int O_NOCTTY = 0x100;
    public const int O_CLOEXEC = 0x80000;
    public const ulong TIOCGWINSZ = 0x5413;
    public const ulong TIOCSWINSZ = 0x5414;
    public const ulong TIOCSCTTY = 0x540E;
    public const int TCSANOW = 0;
    /// <summary>glibc's struct termios is 60 bytes; a larger opaque buffer keeps us clear of layout details.</summary>
    public const int TermiosSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    public struct Winsize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixel;
        public ushort YPixel;
    }

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_openpt(int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int grantpt(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int unlockpt(int fd);

    [LibraryImport("libc", SetLastError = false)]
    public static partial int ptsname_r(int fd, byte* buf, nuint len);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, ulong request, Winsize* ws);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int actions, byte* termios);

    [LibraryImport("libc")]
    public static partial void cfmakeraw(byte* termios);

    [LibraryImport("libc")]
    public static partial int isatty(int fd);

    public static string Errno(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} ({errno})";
}
