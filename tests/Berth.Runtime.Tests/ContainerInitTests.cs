namespace Berth.Runtime.Tests;

/// <summary>spec.Init: the minimal pid 1 that forwards signals and reaps.</summary>
[Trait("Category", "Root")]
public class ContainerInitTests
{
    [Fact]
    public void The_command_runs_as_a_child_of_pid_1_and_its_exit_code_is_returned()
    {
        using var c = new ContainerRun("sh", "-c", "[ $$ -gt 1 ] && echo $PPID; grep -E '^(CapEff|NoNewPrivs):' /proc/self/status; exit 5");
        c.Spec.Init = true;
        Assert.Equal(5, c.Run());
        Assert.Equal("1\nCapEff:\t00000000a80425fb\nNoNewPrivs:\t1\n", c.Stdout);
    }

    [Fact]
    public void Sigterm_is_forwarded_to_the_command()
    {
        using var c = new ContainerRun("sleep", "100");
        c.Spec.Init = true;
        var p = c.Start();
        // The init registers its handlers after the spawn; until then SIGTERM would kill it outright (also 143).
        Assert.True(ContainerSignals.Send(p.Pid, 15));
        Assert.Equal(143, c.Wait());
    }

    [Fact]
    public void Orphans_are_reaped_and_the_command_status_wins()
    {
        using var c = new ContainerRun("sh", "-c", "(sleep 0.1 &) ; sleep 0.3; ls /proc | grep -c '^[0-9]'");
        c.Spec.Init = true;
        Assert.Equal(0, c.Run());
        // pid 1, sh, ls and grep: the orphaned sleep was reaped, no zombie stays.
        Assert.Equal("4\n", c.Stdout);
    }

    [Fact]
    public void A_missing_command_is_127_under_init_too()
    {
        using var c = new ContainerRun("nosuch");
        c.Spec.Init = true;
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Equal(127, e.ExitCode);
    }
}
