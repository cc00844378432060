using System.Text.Json;
using Berth.Runtime.Cgroups;
using Berth.Runtime.Launch;
using Berth.Runtime.Native;
using Berth.Runtime.Spec;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>"berth __init &lt;stateDir&gt;": runs inside the container's new namespaces, builds its filesystem and execs the command.</summary>
public static class InitMode
{
    /// <summary>Runs the init; returns only on failure (or, with spec.Init, when the command exits) with the exit code.</summary>
    public static int Run(string[] args)
    {
        try
        {
            if (args.Length < 1)
                throw new SetupException(125, "usage: berth __init <state-dir>");
            string stateDir;
            ContainerSpec spec;
            if (args[0] == ParkedInit.Flag)
            {
                AssemblyPreload.LoadAll();
                if (ParkedInit.AwaitAssignment() is not { } assignment)
                    return 0;
                stateDir = assignment.StateDir;
                spec = ReadSpec(Path.Combine(stateDir, "spec.json"));
                EnterNamespaces(spec, assignment.CgroupRoot);
            }
            else
            {
                StatusPipe.AwaitGoAhead();
                if (args.Contains("--unshare-cgroupns") && Libc.unshare(CLONE_NEWCGROUP) != 0)
                    throw SetupException.Errno("unshare cgroup namespace", Errno.Last);
                AssemblyPreload.LoadAll();
                stateDir = args[0];
                spec = ReadSpec(Path.Combine(stateDir, "spec.json"));
            }
            SetUp(spec, stateDir);
            if (spec.Init)
                return MiniInit.Run(spec);
            ProcessExec.Exec(spec.Process, UseSeccomp(spec));
            return 125;
        }
        catch (SetupException e)
        {
            StatusPipe.Report(e.ExitCode, e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            StatusPipe.Report(125, e.Message);
            return 125;
        }
    }

    /// <summary>
    /// A parked init was born in the monitor's namespaces but a pid namespace of its own: this thread (which execs the
    /// command) moves into the container's v1 cgroups, then into new mount, uts, ipc and cgroup namespaces and its network.
    /// </summary>
    private static void EnterNamespaces(ContainerSpec spec, string cgroupRoot)
    {
        if (spec.Cgroup.Path.Length > 0)
        {
            try
            {
                new CgroupV1(cgroupRoot).MoveCurrentThread(spec.Cgroup.Path);
            }
            catch (Exception e) when (e is Core.BerthException or IOException)
            {
                throw new SetupException(125, $"join cgroup {spec.Cgroup.Path}: {e.Message}");
            }
        }
        int flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP;
        if (spec.JoinedNetworkNamespace() is { } netns)
        {
            try
            {
                Namespaces.Join(netns, CLONE_NEWNET);
            }
            catch (Core.BerthException e)
            {
                throw new SetupException(125, e.Message);
            }
        }
        else if (spec.OwnsNetworkNamespace())
            flags |= CLONE_NEWNET;
        if (Libc.unshare(flags) != 0)
            throw SetupException.Errno("unshare namespaces", Errno.Last);
    }

    internal static bool UseSeccomp(ContainerSpec spec) => spec.Seccomp && !spec.Privileged;

    private static ContainerSpec ReadSpec(string file)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(file), RuntimeJson.Default.ContainerSpec)
                ?? throw new SetupException(125, $"read {file}: empty spec");
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new SetupException(125, $"read {file}: {e.Message}");
        }
    }

    private static void SetUp(ContainerSpec spec, string stateDir)
    {
        var rootfs = RootfsSetup.MountRootfs(spec, stateDir);
        RootfsSetup.MountSystem(spec, rootfs);
        RootfsSetup.MountSpecMounts(spec, rootfs);
        if (spec.Process.Terminal)
            DevSetup.BindConsole(rootfs);
        if (spec.Hostname.Length > 0)
            Sys.SetHostname(spec.Hostname, false);
        if (!string.IsNullOrEmpty(spec.Domainname))
            Sys.SetHostname(spec.Domainname, true);

        Sys.Chdir(rootfs);
        PivotRoot(rootfs);
        if (spec.OwnsNetworkNamespace())
            Loopback.Up();
        WriteSysctls(spec.Sysctls);
        if (!spec.Privileged)
        {
            PathMasking.Mask(spec.MaskedPaths ?? [.. PathMasking.DefaultMasked]);
            PathMasking.MakeReadonly(spec.ReadonlyPaths ?? [.. PathMasking.DefaultReadonly]);
        }
        if (spec.Rootfs.ReadOnly)
            PathMasking.RemountRootReadonly();
        if (spec.Process.Terminal)
            ControllingTerminal.Take();
        ProcessExec.Prepare(spec.Process);
    }

    // pivot_root(".", ".") stacks the old root on top of the new one; detaching it leaves only the container's root.
    private static unsafe void PivotRoot(string rootfs)
    {
        var dot = stackalloc byte[] { (byte)'.', 0 };
        if (Libc.syscall(SYS_pivot_root, (long)dot, (long)dot, 0, 0, 0) != 0)
            throw SetupException.Errno($"pivot_root {rootfs}", Errno.Last);
        if (Libc.umount2(".", MNT_DETACH) != 0)
            throw SetupException.Errno("umount old root", Errno.Last);
        Sys.Chdir("/");
    }

    private static void WriteSysctls(Dictionary<string, string>? sysctls)
    {
        foreach (var (key, value) in sysctls ?? [])
        {
            if (key.Contains("..") || key.Contains('/') && key.Contains('.'))
                throw new SetupException(125, $"invalid sysctl \"{key}\"");
            var file = "/proc/sys/" + key.Replace('.', '/');
            try
            {
                File.WriteAllText(file, value);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new SetupException(125, $"write sysctl {key}={value}: {e.Message}");
            }
        }
    }
}
