using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Core;
using Berth.Runtime.Launch;
using Berth.Runtime.Spec;
using static Berth.Runtime.Monitor.MonitorSyscalls;

namespace Berth.Runtime.Monitor;

/// <summary>`berth __monitor [--detach] &lt;stateDir&gt; [--status-fd N]`: the per-container monitor process (DESIGN.md decision 3).</summary>
/// <remarks>
/// With --detach this process only spawns the real monitor in a new session and exits, so the monitor is nobody's child
/// but init's (or a subreaper's) and survives the daemon. The status fd receives one line: "started &lt;monitorPid&gt; &lt;containerPid&gt;"
/// (containerPid 0 with DeferStart: the container starts on the `start` op) or "failed &lt;exitCode&gt; &lt;message&gt;", then is closed.
/// </remarks>
public static partial class MonitorMode
{
    [LibraryImport("libc")]
    private static partial nint signal(int sig, nint handler);

    /// <summary>How long an unassigned spare keeps the pages it touched starting up.</summary>
    private static readonly TimeSpan StandbyTrimDelay = TimeSpan.FromSeconds(30);

    public static int Run(string[] args)
    {
        bool detach = false, standby = false;
        string? stateDir = null;
        int statusFd = -1, assignFd = -1;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--detach")
                detach = true;
            else if (args[i] == "--standby")
                standby = true;
            else if (args[i] is "--status-fd" or "--assign-fd")
            {
                if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int fd))
                    return Usage($"{args[i]} needs a number, got \"{(i + 1 < args.Length ? args[i + 1] : "")}\"");
                if (args[i] == "--status-fd")
                    statusFd = fd;
                else
                    assignFd = fd;
                i++;
            }
            else if (stateDir is null && !args[i].StartsWith("--", StringComparison.Ordinal))
                stateDir = args[i];
            else
                return Usage($"unexpected argument \"{args[i]}\"");
        }
        if (standby)
        {
            if (assignFd < 0 || stateDir is not null || detach)
                return Usage("--standby takes --assign-fd and no state dir");
            stateDir = AwaitAssignment(assignFd);
            return stateDir is null ? 0 : Serve(stateDir, statusFd);
        }
        if (stateDir is null)
            return Usage("missing state dir");
        return detach ? Detach(stateDir, statusFd) : Serve(Path.GetFullPath(stateDir), statusFd);
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"berth __monitor: {problem}\nusage: berth __monitor [--detach] <stateDir> [--status-fd N]\n       berth __monitor --standby --assign-fd N [--status-fd N]");
        return 125;
    }

    /// <summary>
    /// A standby monitor warms the code a start runs, then waits for one line on the assign fd: the absolute state dir of
    /// its container. End of file (the daemon dropped its spare or is gone) or anything else means there is none.
    /// </summary>
    private static unsafe string? AwaitAssignment(int assignFd)
    {
        fcntl(assignFd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
        MonitorFiles.Warm();
        try
        {
            if (ContainerLauncher.Cgroups.SupportsThreadPlacement)
                ParkedInit.Park(ContainerLauncher.BerthExecutable);
        }
        catch (BerthException)
        {
            // Without a waiting init the container's init is started the usual way.
        }
        // Starts in quick succession find the spare with its pages in place. One left waiting (an idle daemon) gives back
        // what starting up touched, as an idle monitor does, and faults code back in when it is assigned.
        var wait = new PollFd { Fd = assignFd, Events = POLLIN };
        int ready;
        while ((ready = poll(&wait, 1, (int)StandbyTrimDelay.TotalMilliseconds)) < 0 && LastErrno == EINTR)
        {
        }
        if (ready == 0)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Native.WorkingSet.TrimFilePages(includeWritable: true);
        }
        var line = new List<byte>();
        byte* buf = stackalloc byte[512];
        while (true)
        {
            nint n = read(assignFd, buf, 512);
            if (n < 0 && LastErrno == EINTR)
                continue;
            if (n <= 0)
                break;
            for (int i = 0; i < n; i++)
                line.Add(buf[i]);
            if (line.Count > 0 && line[^1] == (byte)'\n')
                break;
            if (line.Count > 4096)
                return null;
        }
        close(assignFd);
        string? dir = line.Count >= 2 && line[^1] == (byte)'\n' ? Encoding.UTF8.GetString(line.ToArray(), 0, line.Count - 1) : null;
        if (dir != null && Path.IsPathFullyQualified(dir) && Directory.Exists(dir))
            return dir;
        ParkedInit.DiscardWaiting();
        return null;
    }

    private static int Detach(string stateDir, int statusFd)
    {
        string exe = Environment.ProcessPath ?? "/proc/self/exe";
        var spawn = new ProcessSpawn { NewSession = true, WorkingDirectory = "/" };
        var argv = new List<string> { exe, "__monitor", stateDir };
        if (statusFd >= 0)
        {
            spawn.Dup(statusFd, 3);
            argv.Add("--status-fd");
            argv.Add("3");
        }
        int pid = spawn.Run(argv, ProcessSpawn.CurrentEnvironment());
        if (pid > 0)
            return 0;
        Report(statusFd, $"failed 125 start monitor {exe} for {stateDir}: {Describe(-pid)}");
        return 125;
    }

    private static int Serve(string stateDir, int statusFd)
    {
        // Writes to a vanished client or stdin reader must fail with EPIPE, not kill the monitor.
        signal(13 /* SIGPIPE */, 1 /* SIG_IGN */);
        // The status fd must not leak into the container: the spawner waits for its line, and a held pipe would hide our exit.
        if (statusFd >= 0)
            fcntl(statusFd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */);
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        MonitorLoop? loop = null;
        try
        {
            var config = MonitorFiles.Read(Path.Combine(stateDir, MonitorConfig.FileName), MonitorJson.Default.MonitorConfig)
                ?? throw BerthException.NotFound($"monitor: {Path.Combine(stateDir, MonitorConfig.FileName)} does not exist");
            var spec = MonitorFiles.Read(Path.Combine(stateDir, "spec.json"), RuntimeJson.Default.ContainerSpec)
                ?? throw BerthException.NotFound($"monitor: {Path.Combine(stateDir, "spec.json")} does not exist");
            if (config.Starter is not ("namespaced" or ""))
                ParkedInit.DiscardWaiting();
            IProcessStarter starter = config.Starter switch
            {
                "host" => new HostProcessStarter(),
                "namespaced" or "" => new NamespacedStarter(),
                _ => throw BerthException.Invalid($"monitor: unknown starter \"{config.Starter}\" in {MonitorConfig.FileName} (namespaced or host)"),
            };
            loop = new MonitorLoop(config, spec, stateDir, starter);
            loop.Listen();
            if (!config.DeferStart)
                loop.StartContainer();
        }
        catch (Exception e)
        {
            loop?.Dispose();
            int code = e is ContainerStartException cse ? cse.ExitCode : 125;
            WriteExit(stateDir, code, e.Message);
            Report(statusFd, $"failed {code} {e.Message}");
            return code;
        }
        MonitorFiles.Write(Path.Combine(stateDir, MonitorState.FileName),
            new MonitorState { MonitorPid = getpid(), Pid = loop.ContainerPid, StartedAt = loop.StartedAt }, MonitorJson.Default.MonitorState);
        Report(statusFd, $"started {getpid()} {loop.ContainerPid}");
        try
        {
            loop.Run();
            return 0;
        }
        catch (Exception e)
        {
            // Without its monitor nobody would collect the container's output or status: take it down and say why.
            kill(loop.ContainerPid, 9);
            WriteExit(stateDir, 137, $"monitor failed: {e.Message}");
            return 125;
        }
        finally
        {
            loop.Dispose();
        }
    }

    private static void WriteExit(string stateDir, int code, string error)
    {
        try
        {
            MonitorFiles.Write(Path.Combine(stateDir, ExitRecord.FileName),
                new ExitRecord { ExitCode = code, Error = error, FinishedAt = DateTimeOffset.UtcNow }, MonitorJson.Default.ExitRecord);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The status line still carries the error to the daemon.
        }
    }

    private static void Report(int fd, string line)
    {
        if (fd < 0)
            return;
        WriteAll(fd, Encoding.UTF8.GetBytes(line.ReplaceLineEndings(" ") + "\n"), socket: false);
        close(fd);
    }
}
