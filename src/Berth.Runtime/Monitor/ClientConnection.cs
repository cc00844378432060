namespace Berth.Runtime.Monitor;

/// <summary>One connection on monitor.sock: first a request line, then (attach/exec) a raw stdio stream or (wait) a pending reply.</summary>
internal sealed class ClientConnection(int fd)
{
    public const int MaxRequestBytes = 1 << 20;

    public int Fd { get; private set; } = fd;
    public ConnectionPhase Phase { get; set; } = ConnectionPhase.Request;
    public byte[] Request { get; set; } = new byte[512];
    public int RequestLength { get; set; }

    public ProcessStdio? Target { get; set; }
    public bool WantStdout { get; set; }
    public bool WantStderr { get; set; }
    /// <summary>Reads this client's input into the process's stdin.</summary>
    public bool WantStdin { get; set; }
    public bool InputEnded { get; set; }
    /// <summary>When this client's input ends the process's stdin is closed (StdinOnce attach, or exec without tty).</summary>
    public bool ClosesStdinOnEnd { get; set; }
    public DetachScanner? Scanner { get; set; }

    public bool Closed => Fd < 0;

    /// <summary>Ends the connection: the peer sees end of stream.</summary>
    public void Close()
    {
        if (Fd < 0)
            return;
        MonitorSyscalls.shutdown(Fd, MonitorSyscalls.SHUT_RDWR);
        MonitorSyscalls.close(Fd);
        Fd = -1;
    }
}

/// <summary>Where a connection is in its one-request life.</summary>
internal enum ConnectionPhase
{
    Request,
    Attached,
    Waiting,
}
