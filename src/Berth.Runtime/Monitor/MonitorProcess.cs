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
    /// the monitor, which <see cref="ChildReaper"/> does once the monitor exits. With a <paramref name="standby"/> its
    /// ready spare is assigned the state dir instead, when it has one.
    /// </summary>
    public static MonitorStartResult SpawnChild(string berthExecutable, string stateDir, MonitorStandby? standby = null)
    {
        if (standby?.Take(berthExecutable) is { } spare && Assign(spare, Path.GetFullPath(stateDir)) is { } result)
            return result;
        return Spawn(berthExecutable, stateDir, detach: false);
    }

    private static MonitorStartResult Spawn(string berthExecutable, string stateDir, bool detach)
    {
        stateDir = CheckStateDir(berthExecutable, stateDir);
        int* fds = stackalloc int[2];
        if (pipe2(fds, O_CLOEXEC) != 0)
            throw BerthException.Internal($"start monitor for {stateDir}: pipe2: {DescribeLast()}");
        int readEnd = fds[0];
        try
        {
            string[] argv = detach
                ? [berthExecutable, "__monitor", "--detach", stateDir, "--status-fd", "3"]
                : [berthExecutable, "__monitor", stateDir, "--status-fd", "3"];
            int pid = Run(argv, fds[1], -1);
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

    /// <summary>Starts `__monitor --standby`, the caller's child, waiting on its assign pipe.</summary>
    internal static MonitorStandby.Spare SpawnStandby(string berthExecutable)
    {
        if (!File.Exists(berthExecutable))
            throw BerthException.NotFound($"start monitor: berth executable {berthExecutable} does not exist");
        int* status = stackalloc int[2];
        int* assign = stackalloc int[2];
        if (pipe2(status, O_CLOEXEC) != 0)
            throw BerthException.Internal($"start standby monitor: pipe2: {DescribeLast()}");
        if (pipe2(assign, O_CLOEXEC) != 0)
        {
            var error = DescribeLast();
            close(status[0]);
            close(status[1]);
            throw BerthException.Internal($"start standby monitor: pipe2: {error}");
        }
        int pid = Run([berthExecutable, "__monitor", "--standby", "--status-fd", "3", "--assign-fd", "4"], status[1], assign[0]);
        close(status[1]);
        close(assign[0]);
        if (pid < 0)
        {
            close(status[0]);
            close(assign[1]);
            throw BerthException.Internal($"start standby monitor {berthExecutable}: posix_spawn: {Describe(-pid)}");
        }
        ChildReaper.Watch(pid);
        return new MonitorStandby.Spare(pid, assign[1], status[0]);
    }

    /// <summary>Hands the state dir to a spare and waits for its report; null when the spare is gone (start one afresh).</summary>
    private static MonitorStartResult? Assign(MonitorStandby.Spare spare, string stateDir)
    {
        try
        {
            stateDir = CheckStateDir(null, stateDir);
            byte[] line = System.Text.Encoding.UTF8.GetBytes(stateDir + "\n");
            fixed (byte* p = line)
            {
                if (write(spare.AssignFd, p, line.Length) != line.Length)
                    return null;
            }
            close(spare.AssignFd);
            spare = spare with { AssignFd = -1 };
            return Parse(ReadReport(spare.StatusFd, stateDir), stateDir);
        }
        finally
        {
            if (spare.AssignFd >= 0)
                close(spare.AssignFd);
            close(spare.StatusFd);
        }
    }

    private static string CheckStateDir(string? berthExecutable, string stateDir)
    {
        stateDir = Path.GetFullPath(stateDir);
        if (!File.Exists(Path.Combine(stateDir, MonitorConfig.FileName)))
            throw BerthException.NotFound($"start monitor: {Path.Combine(stateDir, MonitorConfig.FileName)} does not exist");
        if (berthExecutable != null && !File.Exists(berthExecutable))
            throw BerthException.NotFound($"start monitor: berth executable {berthExecutable} does not exist");
        File.Delete(Path.Combine(stateDir, ExitRecord.FileName));
        return stateDir;
    }

    /// <summary>posix_spawns a monitor in a new session with /dev/null stdio, the status pipe as fd 3 and the assign pipe, if any, as fd 4.</summary>
    private static int Run(string[] argv, int statusWrite, int assignRead)
    {
        var spawn = new ProcessSpawn { NewSession = true, WorkingDirectory = "/" };
        spawn.Open(0, "/dev/null", O_RDONLY);
        spawn.Open(1, "/dev/null", O_WRONLY);
        spawn.Open(2, "/dev/null", O_WRONLY);
        spawn.Dup(statusWrite, 3);
        if (assignRead >= 0)
            spawn.Dup(assignRead, 4);
        return spawn.Run(argv, ProcessSpawn.CurrentEnvironment());
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
