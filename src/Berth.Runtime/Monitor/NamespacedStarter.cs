using Berth.Core;
using Berth.Runtime.Exec;
using Berth.Runtime.Launch;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Monitor;

/// <summary>Starts the container in its own namespaces through <see cref="ContainerLauncher"/> and execs through <see cref="ExecLauncher"/> (the production starter).</summary>
public sealed class NamespacedStarter : IProcessStarter
{
    public int Start(ContainerSpec spec, string stateDir, int stdinFd, int stdoutFd, int stderrFd) =>
        ContainerLauncher.Start(spec, stateDir, stdinFd, stdoutFd, stderrFd).Pid;

    public int StartExec(int containerPid, ContainerSpec spec, ProcessSpec process, int stdinFd, int stdoutFd, int stderrFd) =>
        ExecLauncher.Start(containerPid, spec, process, stdinFd, stdoutFd, stderrFd);

    public bool WasOomKilled(ContainerSpec spec)
    {
        if (spec.Cgroup.Path.Length == 0)
            return false;
        try
        {
            return ContainerLauncher.Cgroups.OomKilled(spec.Cgroup.Path);
        }
        catch (Exception e) when (e is BerthException or IOException)
        {
            return false;
        }
    }
}
