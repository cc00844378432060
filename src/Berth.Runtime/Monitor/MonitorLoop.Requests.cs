using Berth.Core;
using Berth.Runtime.Logging;
using Berth.Runtime.Terminal;

namespace Berth.Runtime.Monitor;

/// <summary>The control socket's ops: attach, resize, wait, exec, exec-inspect, state.</summary>
internal sealed partial class MonitorLoop
{
    private void HandleRequest(ClientConnection c, MonitorRequest request, byte[] leftover)
    {
        try
        {
            switch (request.Op)
            {
                case "state":
                    SendReply(c, new MonitorReply
                    {
                        State = new MonitorStatus { Pid = _container.Pid, Running = ContainerStarted && !_container.Exited, StartedAt = _startedAt },
                    });
                    c.Close();
                    break;
                case "start":
                    StartContainer();
                    SendReply(c, new MonitorReply { Pid = _container.Pid });
                    c.Close();
                    break;
                case "wait":
                    c.Phase = ConnectionPhase.Waiting;
                    break;
                case "resize":
                    Resize(request);
                    SendReply(c, new MonitorReply());
                    c.Close();
                    break;
                case "attach":
                    Attach(c, request, leftover);
                    break;
                case "exec":
                    Exec(c, request, leftover);
                    break;
                case "exec-inspect":
                    var exec = FindExec(request.ExecId);
                    SendReply(c, new MonitorReply
                    {
                        Exec = new ExecStatus { Running = !exec.Exited, ExitCode = exec.Exited ? exec.ExitCode : null, Pid = exec.Pid },
                    });
                    c.Close();
                    break;
                default:
                    throw BerthException.Invalid($"unknown monitor op \"{request.Op}\"");
            }
        }
        catch (ContainerStartException e)
        {
            SendError(c, e, e.ExitCode);
            c.Close();
        }
        catch (BerthException e)
        {
            SendError(c, e);
            c.Close();
        }
    }

    private ExecSession FindExec(string? id)
    {
        if (string.IsNullOrEmpty(id))
            throw BerthException.Invalid("monitor request: ExecId is required");
        return _execs.TryGetValue(id, out var exec)
            ? exec
            : throw BerthException.NotFound($"no such exec {id} in container {_config.ContainerId}");
    }

    private void Resize(MonitorRequest request)
    {
        if (request.Height == 0 || request.Width == 0)
            throw BerthException.Invalid($"resize to {request.Height}x{request.Width}: height and width must be positive");
        ProcessStdio target = request.ExecId is null ? _container : FindExec(request.ExecId);
        string what = request.ExecId is null ? $"container {_config.ContainerId}" : $"exec {request.ExecId}";
        if (!target.Tty || target.PtyMaster < 0)
            throw BerthException.Precondition($"resize {what}: it has no terminal (started without -t) or has exited");
        TerminalSize.Set(target.PtyMaster, request.Height, request.Width);
    }

    private void Attach(ClientConnection c, MonitorRequest request, byte[] leftover)
    {
        var scanner = new DetachScanner(DetachKeys.Parse(request.DetachKeys));
        bool stdin = request.Stdin && _config.OpenStdin;
        SendReply(c, new MonitorReply { Pid = _container.Pid });
        if (request.Logs && ContainerStarted && _config.LogPath.Length > 0 && (request.Stdout || request.Stderr))
        {
            // Replayed here in the loop, before live output is added, so nothing is lost or repeated; only this run's
            // lines, as the log also holds the runs before a restart.
            var options = new LogReadOptions { Stdout = request.Stdout, Stderr = request.Stderr, Since = _startedAt.AddTicks(-1) };
            try
            {
                JsonFileLogReader.ReadAsync(_config.LogPath, options, new FdWriteStream(c.Fd), !_config.Tty, () => false, CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                c.Close();
                return;
            }
        }
        bool closesStdin = stdin && _config.StdinOnce && !_config.Tty && !_stdinOnceTaken;
        if (closesStdin)
            _stdinOnceTaken = true;
        Join(c, _container, request.Stdout, request.Stderr, stdin, closesStdin, scanner, leftover);
    }

    private void Exec(ClientConnection c, MonitorRequest request, byte[] leftover)
    {
        if (string.IsNullOrEmpty(request.ExecId))
            throw BerthException.Invalid("exec: ExecId is required");
        if (!ContainerStarted)
            throw BerthException.Precondition($"exec {request.ExecId}: container {_config.ContainerId} is not started");
        if (_execs.ContainsKey(request.ExecId))
            throw BerthException.Conflict($"exec {request.ExecId} already started in container {_config.ContainerId}");
        if (request.Process is not { Args.Count: > 0 } process)
            throw BerthException.Invalid($"exec {request.ExecId}: Process.Args is empty");
        var scanner = new DetachScanner(DetachKeys.Parse(request.DetachKeys));
        process.Terminal = request.Tty;
        var exec = new ExecSession(request.ExecId) { Tty = request.Tty };
        _execs[request.ExecId] = exec;
        try
        {
            var stdio = CreateStdio(exec, request.Tty, request.Stdin, request.Stdout, request.Stderr, request.Height, request.Width);
            Launch(exec, stdio, (i, o, e) => _starter.StartExec(_container.Pid, _spec, process, i, o, e));
        }
        catch (ContainerStartException e)
        {
            // exec-inspect then reports the failure's exit code, as Docker does.
            exec.Exited = true;
            exec.ExitCode = e.ExitCode;
            throw;
        }
        catch (BerthException)
        {
            exec.Exited = true;
            exec.ExitCode = 126;
            throw;
        }
        SendReply(c, new MonitorReply { Pid = exec.Pid });
        if (!request.Stdin && !request.Stdout && !request.Stderr)
        {
            c.Close();
            return;
        }
        Join(c, exec, request.Stdout, request.Stderr, request.Stdin, closesStdin: request.Stdin && !request.Tty, scanner, leftover);
    }

    private void Join(ClientConnection c, ProcessStdio target, bool stdout, bool stderr, bool stdin, bool closesStdin,
        DetachScanner scanner, byte[] leftover)
    {
        c.Phase = ConnectionPhase.Attached;
        c.Target = target;
        c.WantStdout = stdout;
        c.WantStderr = stderr;
        c.WantStdin = stdin;
        c.ClosesStdinOnEnd = closesStdin;
        c.Scanner = scanner;
        target.Clients.Add(c);
        if (stdin && leftover.Length > 0)
            ForwardInput(c, leftover);
    }
}
