using System.Globalization;
using System.Text;
using Berth.Core;
using static Berth.Runtime.Monitor.MonitorSyscalls;

namespace Berth.Runtime.Monitor;

/// <summary>Starts the detached per-container monitor (`berth __monitor`) and waits until it reports the container started or failed.</summary>
public static unsafe class MonitorProcess
{
    /// <summary>How long the monitor may take to start the container before Spawn gives up.</summary>
    public static TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Spawns `<paramref name="berthExecutable"/> __monitor` for the state dir, which must hold spec.json and monitor.json.
    /// The monitor is reparented away from the caller (double spawn + setsid) so it outlives the daemon.</summary>
    /// <exception cref="ContainerStartException">The container did not start; ExitCode is 125, 126 or 127.</exception>
    /// <exception cref="BerthException">The state dir is incomplete or the monitor could not be spawned.</exception>
    public static MonitorStartResult Spawn(string berthExecutable, string stateDir) => Spawn(berthExecutable, stateDir, detach: true);

    /// <summary>
    /// Spawns the monitor as the caller's own child in a new session: one process start fewer than the detached form.
    /// It still outlives the caller (a session of its own, no parent-death signal); while the caller lives it must reap
    /// the monitor, which <see cref="ChildReaper"/> does once the monitor exits.
    /// </summary>
    public static MonitorStartResult SpawnChild(string berthExecutable, string stateDir) => Spawn(berthExecutable, stateDir, detach: false);

    private static MonitorStartResult Spawn(string berthExecutable, string stateDir, bool detach)
    {
        stateDir = Path.GetFullPath(stateDir);
        if (!File.Exists(Path.Combine(stateDir, MonitorConfig.FileName)))
            throw BerthException.NotFound($"start monitor: {Path.Combine(stateDir, MonitorConfig.FileName)} does not exist");
        if (!File.Exists(berthExecutable))
            throw BerthException.NotFound($"start monitor: berth executable {berthExecutable} does not exist");
        File.Delete(Path.Combine(stateDir, ExitRecord.FileName));
        int* fds = stackalloc int[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            throw BerthException.Internal($"start monitor for {stateDir}: pipe2: {DescribeLast()}");
        int readEnd = fds[0];
        try
        {
            var spawn = new ProcessSpawn { NewSession = true, WorkingDirectory = "/" };
            spawn.Open(0, "/dev/null", O_RDONLY);
            spawn.Open(1, "/dev/null", O_WRONLY);
            spawn.Open(2, "/dev/null", O_WRONLY);
            spawn.Dup(fds[1], 3);
            string[] argv = detach
                ? [berthExecutable, "__monitor", "--detach", stateDir, "--status-fd", "3"]
                : [berthExecutable, "__monitor", stateDir, "--status-fd", "3"];
            int pid = spawn.Run(argv, ProcessSpawn.CurrentEnvironment());
            close(fds[1]);
            fds[1] = -1;
            if (pid < 0)
                throw BerthException.Internal($"start monitor {berthExecutable} for {stateDir}: posix_spawn: {Describe(-pid)}");
            if (detach)
                ReapIntermediate(pid);
            else
                ChildReaper.Watch(pid);
            string report = ReadReport(readEnd, stateDir);
            return Parse(report, stateDir);
        }
        finally
        {
            if (fds[1] >= 0)
                close(fds[1]);
            close(readEnd);
        }
    }

    private static void ReapIntermediate(int pid)
    {
        int status;
        while (waitpid(pid, &status, 0) < 0 && LastErrno == EINTR)
        {
        }
    }

    private static string ReadReport(int fd, string stateDir)
    {
        var text = new List<byte>();
        byte* buf = stackalloc byte[512];
        long deadline = Environment.TickCount64 + (long)StartTimeout.TotalMilliseconds;
        while (true)
        {
            long left = deadline - Environment.TickCount64;
            if (left <= 0)
                throw BerthException.Internal($"monitor for {stateDir} did not report within {StartTimeout.TotalSeconds:0} s");
            var pfd = new PollFd { Fd = fd, Events = POLLIN };
            int ready = poll(&pfd, 1, (int)left);
            if (ready < 0 && LastErrno != EINTR)
                throw BerthException.Internal($"monitor for {stateDir}: poll: {DescribeLast()}");
            if (ready <= 0)
                continue;
            nint n = read(fd, buf, 512);
            if (n < 0 && LastErrno == EINTR)
                continue;
            if (n <= 0)
                return Encoding.UTF8.GetString(text.ToArray());
            for (int i = 0; i < n; i++)
            {
                if (buf[i] == (byte)'\n')
                    return Encoding.UTF8.GetString(text.ToArray());
                text.Add(buf[i]);
            }
        }
    }

    private static MonitorStartResult Parse(string report, string stateDir)
    {
        report = report.TrimEnd('\n');
        string[] parts = report.Split(' ', 3);
        if (parts.Length == 3 && parts[0] == "started"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int monitorPid)
            && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int containerPid))
            return new MonitorStartResult(monitorPid, containerPid);
        if (parts.Length == 3 && parts[0] == "failed"
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int exitCode))
            throw new ContainerStartException(exitCode, parts[2]);
        var exit = MonitorFiles.ReadExit(stateDir);
        if (exit?.Error is not null)
            throw new ContainerStartException(exit.ExitCode is 126 or 127 ? exit.ExitCode : 125, exit.Error);
        throw BerthException.Internal($"monitor for {stateDir} exited without reporting a start (said \"{report}\")");
    }
}
