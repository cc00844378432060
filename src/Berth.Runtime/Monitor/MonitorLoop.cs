using Berth.Core;
using Berth.Runtime.Logging;
using Berth.Runtime.Spec;
using Berth.Runtime.Terminal;
using static Berth.Runtime.Monitor.MonitorSyscalls;

namespace Berth.Runtime.Monitor;

/// <summary>The monitor's single-threaded event loop: one poll() over the container's stdio, the control socket, clients and pidfds.</summary>
internal sealed unsafe partial class MonitorLoop : IDisposable
{
    private const int ChunkSize = 32 * 1024;
    /// <summary>Orphans reparented to us (we are a subreaper) are reaped at least this often.</summary>
    private const int ReapIntervalMs = 5000;
    /// <summary>After this long without events the loop gives back the memory its last burst of work left resident.</summary>
    private const int IdleTrimMs = 1000;

    private readonly MonitorConfig _config;
    private readonly ContainerSpec _spec;
    private readonly string _stateDir;
    private readonly IProcessStarter _starter;
    private readonly ProcessStdio _container;
    private readonly JsonFileLogWriter? _log;
    private readonly Dictionary<string, ExecSession> _execs = new();
    private readonly List<ClientConnection> _connections = new();
    private readonly byte[] _buffer = new byte[MultiplexedFrame.HeaderSize + ChunkSize];
    private readonly byte[] _scanned = new byte[ChunkSize + 64];
    private readonly List<PollFd> _pollFds = new();
    private readonly List<(int Kind, object Owner)> _pollOwners = new();
    private int _listenFd = -1;
    private DateTimeOffset _startedAt;
    private ChildStdio? _containerStdio;
    private string? _startError;
    private bool _stdinOnceTaken;
    private bool _trimDue = true;

    public MonitorLoop(MonitorConfig config, ContainerSpec spec, string stateDir, IProcessStarter starter)
    {
        _config = config;
        _spec = spec;
        _stateDir = stateDir;
        _starter = starter;
        _container = new ProcessStdio { Tty = config.Tty };
        if (config.LogPath.Length > 0)
            _log = new JsonFileLogWriter(config.LogPath, config.LogMaxSizeBytes, config.LogMaxFiles);
    }

    public string SocketPath => Path.Combine(_stateDir, ControlSocket.FileName);

    public int ContainerPid => _container.Pid;

    public DateTimeOffset StartedAt => _startedAt;

    /// <summary>True once the container's process was started (or its start failed).</summary>
    public bool ContainerStarted { get; private set; }

    /// <summary>Opens the control socket and creates the container's stdio (pty or pipes); attach works from here on.</summary>
    public void Listen()
    {
        _listenFd = ControlSocket.Listen(SocketPath);
        _spec.Process.Terminal = _config.Tty;
        try
        {
            _containerStdio = CreateStdio(_container, _config.Tty, _config.OpenStdin, true, true, _config.ConsoleHeight, _config.ConsoleWidth);
        }
        catch
        {
            CloseListener();
            throw;
        }
    }

    /// <summary>Starts the container's process on the stdio made by <see cref="Listen"/>.</summary>
    /// <exception cref="ContainerStartException">The process did not start; the loop then ends with an exit record carrying the error.</exception>
    public void StartContainer()
    {
        if (ContainerStarted)
            throw BerthException.Conflict($"container {_config.ContainerId} is already started");
        ContainerStarted = true;
        var stdio = _containerStdio!;
        _containerStdio = null;
        try
        {
            Launch(_container, stdio, (i, o, e) => _starter.Start(_spec, _stateDir, i, o, e));
        }
        catch (BerthException e)
        {
            _container.Exited = true;
            _container.ExitCode = e is ContainerStartException cse ? cse.ExitCode : 125;
            _startError = e.Message;
            throw;
        }
        _startedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>Serves until the container's process exits; then drains output, writes exit.json, answers waiters and closes the socket. Returns the exit code.</summary>
    public int Run()
    {
        while (!_container.Exited)
        {
            BuildPollSet();
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pollFds);
            int n;
            fixed (PollFd* p = span)
                n = poll(p, (nuint)span.Length, _trimDue ? IdleTrimMs : ReapIntervalMs);
            if (n < 0 && LastErrno != EINTR)
                throw BerthException.Internal($"monitor {_config.ContainerId}: poll: {DescribeLast()}");
            if (n == 0 && _trimDue)
            {
                _trimDue = false;
                TrimMemory();
            }
            for (int i = 0; i < span.Length && n > 0; i++)
            {
                if (span[i].Revents != 0)
                    Dispatch(_pollOwners[i].Kind, _pollOwners[i].Owner, span[i].Revents);
            }
            Reap();
            if (_connections.RemoveAll(c => c.Closed) > 0)
                _trimDue = true;
        }
        return Finish();
    }

    /// <summary>Returns the GC heap's free space and the binary's startup pages to the system: a monitor lives as long as its
    /// container and otherwise keeps what starting it and its last client session touched.</summary>
    private static void TrimMemory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // The loop is the only thread running managed code (the finalizer is drained inside), so .data can be trimmed too.
        Native.WorkingSet.TrimFilePages(includeWritable: true);
    }

    private const int KindListen = 0;
    private const int KindOutput = 1;
    private const int KindStdin = 2;
    private const int KindClient = 3;
    private const int KindPid = 4;

    private void BuildPollSet()
    {
        _pollFds.Clear();
        _pollOwners.Clear();
        Add(_listenFd, POLLIN, KindListen, this);
        AddProcess(_container, _container);
        foreach (var exec in _execs.Values)
        {
            if (!exec.Exited)
                AddProcess(exec, exec);
        }
        foreach (var c in _connections)
        {
            if (c.Closed)
                continue;
            short events = c.Phase switch
            {
                ConnectionPhase.Attached => c.WantStdin && !c.InputEnded && (c.Target!.Stdin is not { Fd: >= 0 } s || s.Accepting) ? POLLIN : (short)0,
                _ => POLLIN,
            };
            Add(c.Fd, events, KindClient, c);
        }

        void AddProcess(ProcessStdio p, object owner)
        {
            foreach (var o in p.Outputs)
            {
                if (o.Fd >= 0)
                    Add(o.Fd, POLLIN, KindOutput, (p, o));
            }
            if (p.Stdin is { Fd: >= 0, HasPending: true })
                Add(p.Stdin.Fd, POLLOUT, KindStdin, p);
            if (p.PidFd >= 0)
                Add(p.PidFd, POLLIN, KindPid, owner);
        }
    }

    private void Add(int fd, short events, int kind, object owner)
    {
        _pollFds.Add(new PollFd { Fd = fd, Events = events });
        _pollOwners.Add((kind, owner));
    }

    private void Dispatch(int kind, object owner, short revents)
    {
        switch (kind)
        {
            case KindListen:
                int fd;
                while ((fd = ControlSocket.Accept(_listenFd)) >= 0)
                    _connections.Add(new ClientConnection(fd));
                break;
            case KindOutput:
                var (process, source) = ((ProcessStdio, OutputSource))owner;
                ReadOutput(process, source);
                break;
            case KindStdin:
                ((ProcessStdio)owner).Stdin?.OnWritable();
                break;
            case KindClient:
                OnClientEvent((ClientConnection)owner, revents);
                break;
            case KindPid:
                break; // Reap() runs after every poll.
        }
    }

    /// <summary>Collects every exited child; the container's init and exec'ed processes get their status recorded.</summary>
    private void Reap()
    {
        int status;
        int pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        {
            var (code, signal) = DecodeStatus(status);
            if (pid == _container.Pid)
            {
                _container.Exited = true;
                _container.ExitCode = code;
                _container.Signal = signal;
                continue;
            }
            foreach (var exec in _execs.Values)
            {
                if (exec.Pid == pid && !exec.Exited)
                {
                    exec.Exited = true;
                    exec.ExitCode = code;
                    exec.Signal = signal;
                    DrainOutputs(exec);
                    foreach (var c in exec.Clients.ToArray())
                        DropClient(c);
                    exec.CloseFds();
                }
            }
        }
    }

    private int Finish()
    {
        DrainOutputs(_container);
        _log?.Dispose();
        var exit = new ExitRecord
        {
            ExitCode = _container.ExitCode,
            Signal = _container.Signal,
            OOMKilled = _startError is null && _starter.WasOomKilled(_spec),
            FinishedAt = DateTimeOffset.UtcNow,
            Error = _startError,
        };
        MonitorFiles.Write(Path.Combine(_stateDir, ExitRecord.FileName), exit, MonitorJson.Default.ExitRecord);
        foreach (var c in _connections)
        {
            if (c.Phase == ConnectionPhase.Waiting && !c.Closed)
                SendReply(c, new MonitorReply { Exit = exit });
            c.Close();
        }
        _connections.Clear();
        CloseListener();
        return exit.ExitCode;
    }

    private void CloseListener()
    {
        if (_listenFd < 0)
            return;
        File.Delete(SocketPath);
        close(_listenFd);
        _listenFd = -1;
    }

    public void Dispose()
    {
        _containerStdio?.Dispose();
        _containerStdio = null;
        foreach (var c in _connections)
            c.Close();
        CloseListener();
        _container.CloseFds();
        foreach (var exec in _execs.Values)
            exec.CloseFds();
    }

    /// <summary>Creates the process's stdio: a pty, or pipes for the attached streams and /dev/null for the rest. The monitor's ends go into <paramref name="target"/>.</summary>
    private static ChildStdio CreateStdio(ProcessStdio target, bool tty, bool stdin, bool stdout, bool stderr, ushort rows, ushort columns)
    {
        var child = new ChildStdio();
        try
        {
            if (tty && (stdin || stdout || stderr))
            {
                using var pty = Pty.Open(rows, columns);
                target.PtyMaster = pty.DetachMaster();
                SetNonBlocking(target.PtyMaster);
                target.Outputs.Add(new OutputSource(target.PtyMaster, MultiplexedFrame.Stdout));
                target.Stdin = new StdinSink(target.PtyMaster, isPty: true);
                child.In = child.Out = child.Err = Dup(pty.SlaveFd, child.Owned);
                return child;
            }
            int nullFd = open("/dev/null", O_RDWR | O_CLOEXEC, 0);
            if (nullFd < 0)
                throw new ContainerStartException(125, $"open /dev/null: {DescribeLast()}");
            child.Owned.Add(nullFd);
            child.In = stdin ? Pipe(target, isStdin: true, 0, child.Owned) : nullFd;
            child.Out = stdout ? Pipe(target, isStdin: false, MultiplexedFrame.Stdout, child.Owned) : nullFd;
            child.Err = stderr ? Pipe(target, isStdin: false, MultiplexedFrame.Stderr, child.Owned) : nullFd;
            return child;
        }
        catch
        {
            child.Dispose();
            target.CloseFds();
            throw;
        }
    }

    /// <summary>Starts the process on <paramref name="child"/> (closed afterwards: the process holds its own copies) and watches it through a pidfd.</summary>
    private static void Launch(ProcessStdio target, ChildStdio child, Func<int, int, int, int> start)
    {
        try
        {
            int pid = start(child.In, child.Out, child.Err);
            target.Pid = pid;
            long pidfd = syscall(SYS_pidfd_open, pid, 0);
            target.PidFd = pidfd >= 0 ? (int)pidfd : -1;
        }
        catch
        {
            target.CloseFds();
            throw;
        }
        finally
        {
            child.Dispose();
        }
    }

    private static int Dup(int fd, List<int> owned)
    {
        int copy = fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 3);
        if (copy < 0)
            throw new ContainerStartException(125, $"dup pty slave: {DescribeLast()}");
        owned.Add(copy);
        return copy;
    }

    private static int Pipe(ProcessStdio target, bool isStdin, byte stream, List<int> childEnds)
    {
        int* fds = stackalloc int[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            throw new ContainerStartException(125, $"pipe2: {DescribeLast()}");
        if (isStdin)
        {
            SetNonBlocking(fds[1]);
            target.Stdin = new StdinSink(fds[1], isPty: false);
            childEnds.Add(fds[0]);
            return fds[0];
        }
        SetNonBlocking(fds[0]);
        target.Outputs.Add(new OutputSource(fds[0], stream));
        childEnds.Add(fds[1]);
        return fds[1];
    }
}
