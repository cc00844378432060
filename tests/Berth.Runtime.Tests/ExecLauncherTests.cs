using Berth.Runtime.Exec;
using Berth.Runtime.Native;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

[Trait("Category", "Root")]
public class ExecLauncherTests
{
    [Fact]
    public void Exec_joins_the_container_namespaces_cgroup_and_root()
    {
        using var c = new ContainerRun("sleep", "100");
        c.UseCgroup();
        var container = c.Start();
        var output = Path.Combine(c.Rootfs.Dir, "exec-out");
        var process = new ProcessSpec
        {
            Args = ["sh", "-c", "hostname; cat /proc/1/cmdline; echo; ls /sys/class/net; id -u; pwd; grep -c :memory:/$ /proc/self/cgroup; grep CapEff /proc/self/status"],
            Env = ["PATH=/bin"],
            Cwd = "/tmp",
            Uid = 33,
            Capabilities = [.. Security.Capabilities.DockerDefault],
        };
        int pid;
        using (var stdin = File.OpenHandle("/dev/null"))
        using (var stdout = File.OpenHandle(output, FileMode.Create, FileAccess.Write))
            pid = ExecLauncher.Start(container.Pid, c.Spec, process, ContainerRun.Fd(stdin), ContainerRun.Fd(stdout), ContainerRun.Fd(stdout));
        // Reap first: the container's pid 1 cannot finish dying while an exec'ed zombie of ours sits in its namespace.
        Assert.Equal(0, ProcessExit.Wait(pid));
        Assert.Equal("probe\nsleep\0100\0\nlo\n33\n/tmp\n1\nCapEff:\t0000000000000000\n", File.ReadAllText(output));
    }

    [Fact]
    public void Exec_of_a_missing_command_is_127()
    {
        using var c = new ContainerRun("sleep", "100");
        var container = c.Start();
        using var devnull = File.OpenHandle("/dev/null", FileMode.Open, FileAccess.ReadWrite);
        var fd = ContainerRun.Fd(devnull);
        var e = Assert.Throws<ContainerStartException>(() =>
            ExecLauncher.Start(container.Pid, c.Spec, new ProcessSpec { Args = ["nosuch"] }, fd, fd, fd));
        Assert.Equal(127, e.ExitCode);
        Assert.Contains("\"nosuch\"", e.Message);
    }

    [Fact]
    public void Exec_into_a_gone_container_is_a_precondition_failure()
    {
        var e = Assert.Throws<Berth.Core.BerthException>(() =>
            ExecLauncher.Start(int.MaxValue - 3, new ContainerSpec { Id = "gone" }, new ProcessSpec { Args = ["true"] }, 0, 1, 2));
        Assert.Equal(Berth.Core.ErrorKind.FailedPrecondition, e.Kind);
        Assert.Contains("gone", e.Message);
    }
}
