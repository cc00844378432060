using Berth.Runtime.Spec;

namespace Berth.Runtime.Monitor;

/// <summary>Starts processes directly on the host (no namespaces, no rootfs): posix_spawn of Args with the spec's env and cwd. For tests and for monitor development without root.</summary>
public sealed class HostProcessStarter : IProcessStarter
{
    private const int ENOENT = 2;
    private const int EACCES = 13;
    private const int ENOEXEC = 8;

    public int Start(ContainerSpec spec, string stateDir, int stdinFd, int stdoutFd, int stderrFd) =>
        Spawn($"container {spec.Id}", spec.Process, stdinFd, stdoutFd, stderrFd);

    public int StartExec(int containerPid, ContainerSpec spec, ProcessSpec process, int stdinFd, int stdoutFd, int stderrFd) =>
        Spawn($"exec in container {spec.Id}", process, stdinFd, stdoutFd, stderrFd);

    public bool WasOomKilled(ContainerSpec spec) => false;

    private static int Spawn(string what, ProcessSpec process, int stdinFd, int stdoutFd, int stderrFd)
    {
        if (process.Args.Count == 0)
            throw new ContainerStartException(125, $"{what}: no command specified");
        string cwd = string.IsNullOrEmpty(process.Cwd) ? "/" : process.Cwd;
        if (!Directory.Exists(cwd))
            throw new ContainerStartException(125, $"{what}: working directory {cwd}: no such directory");
        // A pty slave is reopened by path after setsid so that it becomes the child's controlling terminal.
        string? tty = process.Terminal ? PtyPathOf(stdinFd) : null;
        var spawn = new ProcessSpawn { SearchPath = true, NewSession = process.Terminal, WorkingDirectory = cwd };
        if (tty is not null)
        {
            spawn.Open(0, tty, MonitorSyscalls.O_RDWR);
            spawn.Dup(stdoutFd, 1);
            spawn.Dup(stderrFd, 2);
        }
        else
        {
            spawn.Dup(stdinFd, 0);
            spawn.Dup(stdoutFd, 1);
            spawn.Dup(stderrFd, 2);
        }
        int pid = spawn.Run(process.Args, process.Env);
        if (pid > 0)
            return pid;
        int errno = -pid;
        string exe = process.Args[0];
        throw errno switch
        {
            ENOENT => new ContainerStartException(127, $"{what}: exec: \"{exe}\": executable file not found in $PATH: {MonitorSyscalls.Describe(errno)}"),
            EACCES or ENOEXEC => new ContainerStartException(126, $"{what}: exec: \"{exe}\": permission denied: {MonitorSyscalls.Describe(errno)}"),
            _ => new ContainerStartException(125, $"{what}: posix_spawn \"{exe}\": {MonitorSyscalls.Describe(errno)}"),
        };
    }

    private static string? PtyPathOf(int fd)
    {
        try
        {
            var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            return target is not null && target.StartsWith("/dev/pts/", StringComparison.Ordinal) ? target : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
