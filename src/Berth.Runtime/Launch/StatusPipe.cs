using System.Globalization;
using System.Text;
using Berth.Runtime.Native;

namespace Berth.Runtime.Launch;

/// <summary>The close-on-exec pipe through which an init or exec process reports setup failure: EOF means execve succeeded.</summary>
internal static unsafe class StatusPipe
{
    /// <summary>The fd the status pipe's write end has in the child.</summary>
    public const int ChildStatusFd = 3;

    /// <summary>The fd of the go-ahead pipe's read end in the child: the parent writes one byte once the child is placed in its cgroup.</summary>
    public const int ChildGoFd = 4;

    /// <summary>Child side: report a failure with its exit class.</summary>
    public static void Report(int exitCode, string message)
    {
        var bytes = Encoding.UTF8.GetBytes($"{exitCode.ToString(CultureInfo.InvariantCulture)} {message}");
        fixed (byte* p = bytes)
            Libc.write(ChildStatusFd, p, bytes.Length);
    }

    /// <summary>Child side: wait for the parent's go-ahead byte, then mark the status pipe close-on-exec.</summary>
    public static void AwaitGoAhead()
    {
        byte b;
        while (Libc.read(ChildGoFd, &b, 1) < 0 && Errno.Last == LinuxConstants.EINTR)
        {
        }
        Libc.close(ChildGoFd);
        Libc.fcntl(ChildStatusFd, LinuxConstants.F_SETFD, LinuxConstants.FD_CLOEXEC);
    }

    /// <summary>Parent side: returns once the child exec'ed; when it reported a failure instead, kills and reaps it and throws.</summary>
    /// <exception cref="ContainerStartException">The child's setup failed; ExitCode is its class (125, 126, 127).</exception>
    public static void AwaitExec(int fd, int pid)
    {
        if (ReadResult(fd) is { } r)
        {
            Libc.kill(pid, 9);
            ProcessExit.Wait(pid);
            throw new ContainerStartException(r.ExitCode, r.Message);
        }
    }

    /// <summary>Parent side: reads until EOF; null when nothing was written (execve succeeded).</summary>
    private static (int ExitCode, string Message)? ReadResult(int fd)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            nint n;
            fixed (byte* p = chunk)
                n = Libc.read(fd, p, chunk.Length);
            if (n < 0 && Errno.Last == LinuxConstants.EINTR)
                continue;
            if (n <= 0)
                break;
            buffer.Write(chunk, 0, (int)n);
        }
        if (buffer.Length == 0)
            return null;
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var space = text.IndexOf(' ');
        if (space > 0 && int.TryParse(text[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
            return (code, text[(space + 1)..]);
        return (125, text);
    }
}
