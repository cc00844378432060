using Berth.Runtime.Cgroups;
using Berth.Runtime.Launch;

namespace Berth.Runtime.Tests;

/// <summary>A parked init is one per process: these run alone, so no other test's start takes it.</summary>
[CollectionDefinition("parked init", DisableParallelization = true)]
public class ParkedInitCollection;

[Trait("Category", "Root")]
[Collection("parked init")]
public class ParkedInitTests
{
    [Fact]
    public void AParkedInitRunsTheNextContainerIsolatedAndInsideItsCgroup()
    {
        using var c = new ContainerRun("sh", "-c",
            "echo $$; hostname; ls /sys/class/net; grep -c ':/$' /proc/self/cgroup; readlink /proc/self/ns/mnt; sleep 30");
        c.UseCgroup();
        c.Spec.Cgroup.PidsLimit = 9;
        int parked = Park();
        var p = c.Start();
        Assert.Equal(parked, p.Pid);
        Assert.Contains(p.Pid, ContainerLauncher.Cgroups.Pids(c.Spec.Cgroup.Path));
        Assert.Equal(9, ContainerLauncher.Cgroups.Stats(c.Spec.Cgroup.Path).PidsLimit);
        Assert.NotEqual(Link($"/proc/{p.Pid}/ns/mnt"), Link("/proc/self/ns/mnt"));
        Assert.NotEqual(Link($"/proc/{p.Pid}/ns/net"), Link("/proc/self/ns/net"));
        Assert.NotEqual(Link($"/proc/{p.Pid}/ns/uts"), Link("/proc/self/ns/uts"));
        Assert.NotEqual(Link($"/proc/{p.Pid}/ns/cgroup"), Link("/proc/self/ns/cgroup"));
        // Everything is printed before the sleep: wait for the last line, then end it.
        var output = Path.Combine(c.Rootfs.Dir, "stdout");
        for (int i = 0; i < 300 && !File.ReadAllText(output).Contains("mnt:"); i++)
            Thread.Sleep(20);
        ContainerLauncher.Cgroups.KillAll(c.Spec.Cgroup.Path, 9);
        Assert.Equal(137, c.Wait());
        var lines = c.Stdout.Split('\n');
        Assert.Equal("1", lines[0]);
        Assert.Equal("probe", lines[1]);
        Assert.Equal("lo", lines[2]);
        Assert.NotEqual("0", lines[3]);
    }

    [Fact]
    public void AParkedInitReportsAMissingCommandAs127()
    {
        using var c = new ContainerRun("nosuch");
        Park();
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Equal(127, e.ExitCode);
        Assert.Equal("exec: \"nosuch\": executable file not found in $PATH", e.Message);
    }

    [Fact]
    public void AHostNetworkContainerLeavesTheParkedInitAndStartsTheUsualWay()
    {
        using var c = new ContainerRun("sh", "-c", "echo $$");
        c.UseCgroup();
        c.Spec.Network = "host";
        int parked = Park();
        var p = c.Start();
        Assert.NotEqual(parked, p.Pid);
        Assert.Equal(0, c.Wait());
        Assert.Equal("1\n", c.Stdout);
        Assert.True(Gone(parked));
    }

    [Fact]
    public void AnUnusedParkedInitIsEndedWhenDiscarded()
    {
        int parked = Park();
        ParkedInit.DiscardWaiting();
        Assert.True(Gone(parked));
    }

    private static int Park()
    {
        InitHostBinary.Install();
        Assert.IsType<CgroupV1>(ContainerLauncher.Cgroups);
        ParkedInit.DiscardWaiting();
        ParkedInit.Park(ContainerLauncher.BerthExecutable);
        return ParkedInit.WaitingPid() ?? throw new InvalidOperationException("no parked init");
    }

    private static string Link(string path) => new FileInfo(path).LinkTarget ?? "";

    private static bool Gone(int pid) => !File.Exists($"/proc/{pid}/stat");
}
