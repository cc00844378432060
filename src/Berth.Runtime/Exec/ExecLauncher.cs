using System.Text.Json;
using Berth.Core;
using Berth.Runtime.Launch;
using Berth.Runtime.Native;
using Berth.Runtime.Spec;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Exec;

/// <summary>Starts an extra process in a running container (docker exec): joins its cgroup and namespaces and spawns "berth __exec".</summary>
public static class ExecLauncher
{
    private static readonly (string Name, int Type)[] JoinedNamespaces =
    [
        ("ipc", CLONE_NEWIPC), ("uts", CLONE_NEWUTS), ("net", CLONE_NEWNET), ("cgroup", CLONE_NEWCGROUP), ("pid", CLONE_NEWPID),
    ];

    /// <summary>Starts <paramref name="process"/> in the container whose init is <paramref name="containerPid"/>; returns once it exec'ed. The caller reaps the returned pid.</summary>
    /// <exception cref="ContainerStartException">Exit class 125, 126 or 127.</exception>
    public static int Start(int containerPid, ContainerSpec containerSpec, ProcessSpec process, int stdinFd, int stdoutFd, int stderrFd)
    {
        if (process.Args.Count == 0)
            throw BerthException.Invalid($"exec in container {containerSpec.Id}: no command specified");
        if (!Directory.Exists($"/proc/{containerPid}"))
            throw BerthException.Precondition($"container {containerSpec.Id} is not running (pid {containerPid} is gone)");
        var exe = NamespacedSpawn.ResolveExecutable(ContainerLauncher.BerthExecutable);
        var driver = ContainerLauncher.Cgroups;
        var cgroupPath = containerSpec.Cgroup.Path;
        var hasCgroup = cgroupPath.Length > 0;
        var threadPlacement = hasCgroup && driver.SupportsThreadPlacement;
        var requestFile = Path.Combine(Path.GetTempPath(), $"berth-exec-{Guid.NewGuid():N}.json");
        File.WriteAllBytes(requestFile, JsonSerializer.SerializeToUtf8Bytes(
            new ExecRequest { Container = containerSpec, Process = process }, ExecJson.Default.ExecRequest));
        try
        {
            // Open every namespace first: once the thread joins the pid namespace, /proc paths still work, but a
            // failure half-way is clearer before any change.
            return NamespacedSpawn.Start($"exec in container {containerSpec.Id}", () =>
            {
                var fds = new List<(int Fd, string Name, int Type)>();
                try
                {
                    foreach (var (name, type) in JoinedNamespaces)
                    {
                        var path = $"/proc/{containerPid}/ns/{name}";
                        var fd = Libc.open(path, O_RDONLY | O_CLOEXEC, 0);
                        if (fd < 0)
                            throw BerthException.Internal($"open {path}: {Errno.DescribeLast()}");
                        fds.Add((fd, path, type));
                    }
                    if (threadPlacement)
                        ThreadPlacement.Enter(driver, cgroupPath);
                    foreach (var (fd, path, type) in fds)
                        if (Libc.setns(fd, type) != 0)
                            throw BerthException.Internal($"setns {path}: {Errno.DescribeLast()}");
                }
                finally
                {
                    foreach (var (fd, _, _) in fds)
                        Libc.close(fd);
                }
            }, exe, [exe, "__exec", containerPid.ToString(System.Globalization.CultureInfo.InvariantCulture), requestFile],
            stdinFd, stdoutFd, stderrFd, threadPlacement ? () => ThreadPlacement.Leave(driver) : null, hasCgroup && !threadPlacement ? p => driver.AddTask(cgroupPath, p) : null);
        }
        finally
        {
            File.Delete(requestFile);
        }
    }
}
