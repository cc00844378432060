namespace Berth.Runtime.Monitor;

/// <summary>The monitor's read end of a process's stdout or stderr (or the pty master, reported as stdout).</summary>
internal sealed class OutputSource(int fd, byte stream)
{
    public int Fd { get; set; } = fd;

    /// <summary>1 = stdout, 2 = stderr (Docker's stream numbers).</summary>
    public byte Stream { get; } = stream;
}
