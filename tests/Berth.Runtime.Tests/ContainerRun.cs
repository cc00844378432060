using Berth.Runtime.Cgroups;
using Berth.Runtime.Launch;
using Berth.Runtime.Security;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

/// <summary>Runs one container to completion with stdout/stderr captured in files; everything it creates is removed on dispose.</summary>
public sealed class ContainerRun : IDisposable
{
    private readonly BusyboxRootfs _rootfs = new();
    private bool _cgroupCreated;

    public ContainerRun(params string[] args)
    {
        InitHostBinary.Install();
        Spec = new ContainerSpec
        {
            Id = Guid.NewGuid().ToString("N"),
            Hostname = "probe",
            Rootfs = new RootfsSpec { Path = _rootfs.Root },
            Process = new ProcessSpec
            {
                Args = [.. args],
                Env = ["PATH=/bin", "HOME=/"],
                Capabilities = [.. Capabilities.DockerDefault],
            },
            Seccomp = true,
        };
    }

    public ContainerSpec Spec { get; }

    public BusyboxRootfs Rootfs => _rootfs;

    public string Stdout { get; private set; } = "";

    public string Stderr { get; private set; } = "";

    public LaunchedProcess? Process { get; private set; }

    /// <summary>Gives the container its own top-level cgroup berth-test-&lt;id&gt;.</summary>
    public void UseCgroup() => Spec.Cgroup.Path = "berth-test-" + Spec.Id;

    /// <summary>Starts the container; output goes to files read by <see cref="Wait"/>.</summary>
    public LaunchedProcess Start()
    {
        _cgroupCreated = Spec.Cgroup.Path.Length > 0;
        using var stdin = File.OpenHandle("/dev/null");
        using var stdout = File.OpenHandle(Path.Combine(_rootfs.Dir, "stdout"), FileMode.Create, FileAccess.Write);
        using var stderr = File.OpenHandle(Path.Combine(_rootfs.Dir, "stderr"), FileMode.Create, FileAccess.Write);
        Process = ContainerLauncher.Start(Spec, _rootfs.StateDir, Fd(stdin), Fd(stdout), Fd(stderr));
        return Process;
    }

    /// <summary>Waits for exit and loads the captured output; returns the exit code.</summary>
    public int Wait()
    {
        var code = Process!.WaitForExit();
        Process = null;
        Stdout = File.ReadAllText(Path.Combine(_rootfs.Dir, "stdout"));
        Stderr = File.ReadAllText(Path.Combine(_rootfs.Dir, "stderr"));
        return code;
    }

    public int Run()
    {
        Start();
        return Wait();
    }

    public static int Fd(Microsoft.Win32.SafeHandles.SafeFileHandle h) => (int)h.DangerousGetHandle();

    public void Dispose()
    {
        if (Process != null)
        {
            ContainerSignals.Send(Process.Pid, 9);
            Process.WaitForExit();
        }
        if (_cgroupCreated)
            ContainerLauncher.Cgroups.Remove(Spec.Cgroup.Path);
        _rootfs.Dispose();
    }
}
