using System.Text.Json;
using Berth.Core;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Native;
using Berth.Runtime.Spec;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Launch;

/// <summary>Starts a container: creates its cgroup and spawns "berth __init &lt;stateDir&gt;" in new namespaces (DESIGN.md decision 4).</summary>
public static class ContainerLauncher
{
    private static ICgroupDriver? _cgroups;

    /// <summary>The berth binary re-executed in init mode; tests point this at a built berth apphost.</summary>
    public static string BerthExecutable { get; set; } = Environment.ProcessPath ?? "/proc/self/exe";

    /// <summary>The cgroup driver used for containers; detected on first use.</summary>
    public static ICgroupDriver Cgroups
    {
        get => _cgroups ??= CgroupDriver.Detect();
        set => _cgroups = value;
    }

    /// <summary>Writes spec.json into <paramref name="stateDir"/>, creates the cgroup and starts the container's init; returns once the user command was exec'ed.</summary>
    /// <exception cref="ContainerStartException">The init failed; ExitCode is 125, 126 or 127.</exception>
    public static LaunchedProcess Start(ContainerSpec spec, string stateDir, int stdinFd, int stdoutFd, int stderrFd)
    {
        if (spec.Process.Args.Count == 0)
            throw BerthException.Invalid($"container {spec.Id}: no command specified");
        if (spec.Rootfs.Path == null && spec.Rootfs.LowerDirs.Count == 0)
            throw BerthException.Invalid($"container {spec.Id}: rootfs has neither a path nor lower dirs");
        Directory.CreateDirectory(stateDir);
        WriteSpec(spec, stateDir);
        var exe = NamespacedSpawn.ResolveExecutable(BerthExecutable);
        var driver = Cgroups;
        var cgroupPath = spec.Cgroup.Path;
        var hasCgroup = cgroupPath.Length > 0;
        if (hasCgroup)
            driver.Create(cgroupPath, spec.Cgroup);
        var threadPlacement = hasCgroup && driver.SupportsThreadPlacement;
        if (ParkedInit.Take() is { } parked)
        {
            // A waiting init joins v1 cgroups by moving itself, and can make or join any network namespace but the host's.
            if (threadPlacement && driver is CgroupV1 v1 && spec.Network != "host")
            {
                try
                {
                    if (parked.Assign(stateDir, v1.Root, stdinFd, stdoutFd, stderrFd) is int parkedPid)
                        return new LaunchedProcess(parkedPid);
                }
                catch
                {
                    TryRemoveCgroup(driver, cgroupPath);
                    throw;
                }
            }
            else
                parked.Discard();
        }
        var argv = new List<string> { exe, "__init", Path.GetFullPath(stateDir) };
        // Without thread placement the child is moved after the spawn, so it must create its cgroup namespace itself.
        if (!threadPlacement)
            argv.Add("--unshare-cgroupns");
        var flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID;
        if (threadPlacement)
            flags |= CLONE_NEWCGROUP;
        string? joinNetns = spec.JoinedNetworkNamespace();
        if (spec.OwnsNetworkNamespace())
            flags |= CLONE_NEWNET;
        try
        {
            var pid = NamespacedSpawn.Start($"start container {spec.Id}", () =>
            {
                if (threadPlacement)
                    ThreadPlacement.Enter(driver, cgroupPath);
                if (joinNetns != null)
                    Namespaces.Join(joinNetns, CLONE_NEWNET);
                if (Libc.unshare(flags) != 0)
                    throw BerthException.Internal($"start container {spec.Id}: unshare: {Errno.DescribeLast()}");
            }, exe, argv, stdinFd, stdoutFd, stderrFd,
            threadPlacement ? () => ThreadPlacement.Leave(driver) : null,
            hasCgroup && !threadPlacement ? p => driver.AddTask(cgroupPath, p) : null);
            return new LaunchedProcess(pid);
        }
        catch
        {
            if (hasCgroup)
                TryRemoveCgroup(driver, cgroupPath);
            throw;
        }
    }

    private static void TryRemoveCgroup(ICgroupDriver driver, string path)
    {
        try
        {
            driver.Remove(path);
        }
        catch (BerthException)
        {
            // The start failure is the error worth reporting; a leftover empty cgroup is harmless.
        }
    }

    private static void WriteSpec(ContainerSpec spec, string stateDir)
    {
        var file = Path.Combine(stateDir, "spec.json");
        var tmp = file + ".tmp";
        File.WriteAllBytes(tmp, JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeJson.Default.ContainerSpec));
        File.Move(tmp, file, true);
    }
}
