namespace Berth.Runtime.Monitor;

/// <summary>A process the monitor serves (the container's or an exec'ed one): its output sources, stdin, pty and attached clients.</summary>
internal class ProcessStdio
{
    public bool Tty { get; init; }
    /// <summary>The pty master when <see cref="Tty"/>; -1 otherwise.</summary>
    public int PtyMaster { get; set; } = -1;
    public List<OutputSource> Outputs { get; } = new();
    public StdinSink? Stdin { get; set; }
    public List<ClientConnection> Clients { get; } = new();
    public int Pid { get; set; }
    public int PidFd { get; set; } = -1;
    public bool Exited { get; set; }
    public int ExitCode { get; set; }
    public int Signal { get; set; }

    /// <summary>Closes every fd the monitor holds for this process.</summary>
    public void CloseFds()
    {
        foreach (var o in Outputs)
        {
            if (o.Fd >= 0 && o.Fd != PtyMaster)
                MonitorSyscalls.close(o.Fd);
            o.Fd = -1;
        }
        Stdin?.Close();
        if (PtyMaster >= 0)
            MonitorSyscalls.close(PtyMaster);
        PtyMaster = -1;
        if (PidFd >= 0)
            MonitorSyscalls.close(PidFd);
        PidFd = -1;
    }
}
