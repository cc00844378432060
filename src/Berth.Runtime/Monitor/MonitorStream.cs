using System.Net.Sockets;

namespace Berth.Runtime.Monitor;

/// <summary>The raw stdio stream of an attach or exec: reads are the process's output (multiplexed frames without a tty, raw with one), writes go to its stdin.</summary>
public sealed class MonitorStream : NetworkStream
{
    internal MonitorStream(Socket socket, int pid) : base(socket, ownsSocket: true) => Pid = pid;

    /// <summary>The process attached to (the container's, or the exec'ed one).</summary>
    public int Pid { get; }

    /// <summary>Ends the stdin direction (half-close); output keeps flowing. With StdinOnce or an exec without tty this closes the process's stdin.</summary>
    public void CloseWrite() => Socket.Shutdown(SocketShutdown.Send);
}
