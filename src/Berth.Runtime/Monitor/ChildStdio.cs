namespace Berth.Runtime.Monitor;

/// <summary>The child's ends of a process's stdio (pipe ends, a pty slave, /dev/null), held until the process has started.</summary>
internal sealed class ChildStdio : IDisposable
{
    public int In { get; set; } = -1;
    public int Out { get; set; } = -1;
    public int Err { get; set; } = -1;

    /// <summary>Every fd to close once the child holds its copies.</summary>
    public List<int> Owned { get; } = new();

    public void Dispose()
    {
        foreach (int fd in Owned)
            MonitorSyscalls.close(fd);
        Owned.Clear();
    }
}
