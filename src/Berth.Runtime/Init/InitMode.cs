using System.Text.Json;
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
            StatusPipe.AwaitGoAhead();
            if (args.Contains("--unshare-cgroupns") && Libc.unshare(CLONE_NEWCGROUP) != 0)
                throw SetupException.Errno("unshare cgroup namespace", Errno.Last);
            AssemblyPreload.LoadAll();
            var stateDir = args[0];
            var spec = ReadSpec(Path.Combine(stateDir, "spec.json"));
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
        if (spec.Network != "host" && !spec.Network.StartsWith("ns:", StringComparison.Ordinal))
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
