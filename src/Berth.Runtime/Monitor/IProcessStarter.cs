using Berth.Runtime.Spec;

namespace Berth.Runtime.Monitor;

/// <summary>How the monitor starts the container's process and exec'ed processes; the started processes are children of the caller, which reaps them.</summary>
/// <remarks>
/// The stdio fds are the container's ends (pipe ends or a pty slave); the callee dup2s them onto 0/1/2 in the child and does not close them.
/// When the process has a terminal (stdin is a pty slave) the child must call setsid() and ioctl(0, TIOCSCTTY, 0).
/// Failures throw <see cref="ContainerStartException"/> with Docker's exit-code class (125 setup, 126 not executable, 127 not found).
/// </remarks>
public interface IProcessStarter
{
    /// <summary>Starts the container's main process; returns its pid.</summary>
    int Start(ContainerSpec spec, string stateDir, int stdinFd, int stdoutFd, int stderrFd);

    /// <summary>Starts <paramref name="process"/> inside the running container whose init is <paramref name="containerPid"/>; returns its pid.</summary>
    int StartExec(int containerPid, ContainerSpec spec, ProcessSpec process, int stdinFd, int stdoutFd, int stderrFd);

    /// <summary>Whether the kernel OOM killer killed a process of the container (false when unknown).</summary>
    bool WasOomKilled(ContainerSpec spec);
}
