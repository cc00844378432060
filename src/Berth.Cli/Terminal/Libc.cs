using System.Runtime.InteropServices;

namespace Berth.Cli.Terminal;

/// <summary>The few libc calls the CLI needs: terminal modes and size, writes to stdio, and posix_spawn for starting the daemon.</summary>
internal static unsafe partial class Libc
{
    public const int TCSANOW = 0;
    public const uint TIOCGWINSZ = 0x5413;
    public const short POSIX_SPAWN_SETSID = 0x80;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x40, O_APPEND = 0x400;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcgetattr(int fd, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int tcsetattr(int fd, int optionalActions, byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial void cfmakeraw(byte* termios);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int isatty(int fd);

    [LibraryImport("libc", SetLastError = true)]
    public static partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, WinSize* size);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_spawnattr_init(byte* attr);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_spawnattr_setflags(byte* attr, short flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_spawnattr_destroy(byte* attr);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_spawn_file_actions_init(byte* actions);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int posix_spawn_file_actions_destroy(byte* actions);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn_file_actions_addopen(byte* actions, int fd, string path, int oflag, int mode);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int posix_spawn(out int pid, string path, byte* actions, byte* attr, nint* argv, nint* envp);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int lchown(string path, int owner, int group);

    /// <summary>struct winsize.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct WinSize
    {
        public ushort Rows;
        public ushort Cols;
        public ushort XPixel;
        public ushort YPixel;
    }
}
