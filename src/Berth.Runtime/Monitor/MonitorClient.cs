using System.Net.Sockets;
using System.Text.Json;
using Berth.Core;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Monitor;

/// <summary>The engine's side of a container monitor's control socket (&lt;stateDir&gt;/monitor.sock).</summary>
public sealed class MonitorClient
{
    private readonly string _stateDir;

    public MonitorClient(string stateDir)
    {
        _stateDir = Path.GetFullPath(stateDir);
        SocketPath = Path.Combine(_stateDir, ControlSocket.FileName);
    }

    public string SocketPath { get; }

    /// <summary>Attaches to the container's stdio. Without a tty the stream's output is Docker-multiplexed; stdin is only wired when the container has OpenStdin.</summary>
    public async Task<MonitorStream> AttachAsync(bool stdin, bool stdout, bool stderr, string? detachKeys = null, bool logs = false, CancellationToken ct = default)
    {
        var (socket, reply) = await RequestAsync(new MonitorRequest
        {
            Op = "attach", Stdin = stdin, Stdout = stdout, Stderr = stderr, DetachKeys = detachKeys, Logs = logs,
        }, keepOpen: true, ct).ConfigureAwait(false);
        return new MonitorStream(socket!, reply.Pid ?? 0);
    }

    /// <summary>Starts a process in the container (docker exec). With no stream attached it runs with /dev/null stdio and the returned stream ends at once.</summary>
    /// <exception cref="ContainerStartException">The process did not start (ExitCode 126/127/125); exec-inspect reports the same code.</exception>
    public async Task<MonitorStream> ExecAsync(string execId, ProcessSpec process, bool tty, bool stdin, bool stdout, bool stderr,
        string? detachKeys = null, ushort height = 0, ushort width = 0, CancellationToken ct = default)
    {
        var (socket, reply) = await RequestAsync(new MonitorRequest
        {
            Op = "exec", ExecId = execId, Process = process, Tty = tty, Stdin = stdin, Stdout = stdout, Stderr = stderr,
            DetachKeys = detachKeys, Height = height, Width = width,
        }, keepOpen: true, ct).ConfigureAwait(false);
        return new MonitorStream(socket!, reply.Pid ?? 0);
    }

    /// <summary>Starts the container of a monitor spawned with DeferStart; returns its pid.</summary>
    /// <exception cref="ContainerStartException">The process did not start (ExitCode 125/126/127); the monitor then exits leaving exit.json.</exception>
    public async Task<int> StartAsync(CancellationToken ct = default)
    {
        var (_, reply) = await RequestAsync(new MonitorRequest { Op = "start" }, keepOpen: false, ct).ConfigureAwait(false);
        return reply.Pid ?? 0;
    }

    /// <summary>Sets the window size of the container's pty, or of an exec's pty when <paramref name="execId"/> is given.</summary>
    public async Task ResizeAsync(ushort height, ushort width, string? execId = null, CancellationToken ct = default) =>
        await RequestAsync(new MonitorRequest { Op = "resize", Height = height, Width = width, ExecId = execId }, keepOpen: false, ct).ConfigureAwait(false);

    public async Task<ExecStatus> ExecInspectAsync(string execId, CancellationToken ct = default)
    {
        var (_, reply) = await RequestAsync(new MonitorRequest { Op = "exec-inspect", ExecId = execId }, keepOpen: false, ct).ConfigureAwait(false);
        return reply.Exec ?? throw BerthException.Internal($"monitor {SocketPath}: exec-inspect reply without Exec");
    }

    /// <summary>The container's state; after the monitor has finished, built from state.json and exit.json.</summary>
    public async Task<MonitorStatus> StateAsync(CancellationToken ct = default)
    {
        try
        {
            var (_, reply) = await RequestAsync(new MonitorRequest { Op = "state" }, keepOpen: false, ct).ConfigureAwait(false);
            return reply.State ?? throw BerthException.Internal($"monitor {SocketPath}: state reply without State");
        }
        catch (BerthException) when (MonitorFiles.ReadExit(_stateDir) is { } exit)
        {
            var state = MonitorFiles.ReadState(_stateDir);
            return new MonitorStatus { Pid = state?.Pid ?? 0, StartedAt = state?.StartedAt ?? default, Running = false, Exit = exit };
        }
    }

    /// <summary>Waits until the container exits and returns its exit record (at once when it already has).</summary>
    public async Task<ExitRecord> WaitAsync(CancellationToken ct = default)
    {
        try
        {
            var (_, reply) = await RequestAsync(new MonitorRequest { Op = "wait" }, keepOpen: false, ct).ConfigureAwait(false);
            if (reply.Exit is not null)
                return reply.Exit;
        }
        catch (BerthException) when (!ct.IsCancellationRequested)
        {
            // The monitor finished (or is finishing) between our checks; exit.json is written before the socket goes away.
        }
        for (int i = 0; i < 50; i++)
        {
            if (MonitorFiles.ReadExit(_stateDir) is { } exit)
                return exit;
            await Task.Delay(20, ct).ConfigureAwait(false);
        }
        throw BerthException.Precondition($"container monitor at {SocketPath} is not running and left no {ExitRecord.FileName}");
    }

    private async Task<(Socket? Socket, MonitorReply Reply)> RequestAsync(MonitorRequest request, bool keepOpen, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw BerthException.Precondition($"container monitor at {SocketPath} is not running: {e.SocketErrorCode}");
            }
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(request, MonitorJson.Default.MonitorRequest);
            var line = new byte[json.Length + 1];
            json.CopyTo(line, 0);
            line[^1] = (byte)'\n';
            try
            {
                await socket.SendAsync(line, SocketFlags.None, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw BerthException.Precondition($"container monitor at {SocketPath} closed the connection: {e.SocketErrorCode}");
            }
            var reply = await ReadReplyAsync(socket, ct).ConfigureAwait(false);
            if (reply.Error is not null)
            {
                if (reply.ExitCode is int code)
                    throw new ContainerStartException(code, reply.Error);
                throw new BerthException(reply.Kind ?? ErrorKind.Internal, reply.Error);
            }
            if (keepOpen)
            {
                var s = socket;
                socket = null;
                return (s, reply);
            }
            return (null, reply);
        }
        finally
        {
            socket?.Dispose();
        }
    }

    /// <summary>Reads the reply line one byte at a time so nothing of the raw stream after it is consumed.</summary>
    private async Task<MonitorReply> ReadReplyAsync(Socket socket, CancellationToken ct)
    {
        var line = new List<byte>(128);
        var one = new byte[1];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(one, SocketFlags.None, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                throw BerthException.Precondition($"container monitor at {SocketPath} closed the connection: {e.SocketErrorCode}");
            }
            if (n == 0)
                throw BerthException.Precondition($"container monitor at {SocketPath} closed the connection before replying");
            if (one[0] == (byte)'\n')
                break;
            line.Add(one[0]);
            if (line.Count > 1 << 20)
                throw BerthException.Internal($"container monitor at {SocketPath}: reply line too long");
        }
        try
        {
            return JsonSerializer.Deserialize(line.ToArray(), MonitorJson.Default.MonitorReply)
                ?? throw BerthException.Internal($"container monitor at {SocketPath}: empty reply");
        }
        catch (JsonException e)
        {
            throw BerthException.Internal($"container monitor at {SocketPath}: bad reply: {e.Message}");
        }
    }
}
