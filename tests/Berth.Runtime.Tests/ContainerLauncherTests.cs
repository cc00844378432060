namespace Berth.Runtime.Tests;

[Trait("Category", "Root")]
public class ContainerLauncherTests
{
    [Fact]
    public void Runs_the_command_as_pid_1_with_the_spec_hostname()
    {
        using var c = new ContainerRun("sh", "-c", "echo $$; hostname; ls /proc/1/exe >/dev/null && echo ok");
        Assert.Equal(0, c.Run());
        Assert.Equal("1\nprobe\nok\n", c.Stdout);
    }

    [Fact]
    public void Exit_code_is_passed_through()
    {
        using var c = new ContainerRun("sh", "-c", "exit 3");
        Assert.Equal(3, c.Run());
    }

    [Fact]
    public void Missing_command_is_127_naming_it()
    {
        using var c = new ContainerRun("nosuch");
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Equal(127, e.ExitCode);
        Assert.Equal("exec: \"nosuch\": executable file not found in $PATH", e.Message);
    }

    [Fact]
    public void Non_executable_command_is_126()
    {
        using var c = new ContainerRun("/etc/passwd");
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Equal(126, e.ExitCode);
        Assert.Contains("/etc/passwd", e.Message);
    }

    [Fact]
    public void Kill_9_gives_137()
    {
        using var c = new ContainerRun("sleep", "100");
        var p = c.Start();
        Assert.True(ContainerSignals.Send(p.Pid, ContainerSignals.Parse("KILL")));
        Assert.Equal(137, c.Wait());
    }

    [Fact]
    public void Only_loopback_is_visible_and_up()
    {
        using var c = new ContainerRun("sh", "-c", "ls /sys/class/net; cat /sys/class/net/lo/flags");
        Assert.Equal(0, c.Run());
        Assert.Equal("lo\n0x9\n", c.Stdout);
    }

    [Fact]
    public void Default_security_profile_shows_in_proc_status()
    {
        using var c = new ContainerRun("sh", "-c", "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status");
        Assert.Equal(0, c.Run());
        Assert.Contains("CapEff:\t00000000a80425fb", c.Stdout);
        Assert.Contains("CapBnd:\t00000000a80425fb", c.Stdout);
        Assert.Contains("NoNewPrivs:\t1", c.Stdout);
        Assert.Contains("Seccomp:\t2", c.Stdout);
    }

    [Fact]
    public void Seccomp_refuses_namespace_creation_but_allows_normal_work()
    {
        using var c = new ContainerRun("sh", "-c", "unshare -n true 2>/dev/null || echo refused; echo ok > /tmp/f && cat /tmp/f");
        Assert.Equal(0, c.Run());
        Assert.Equal("refused\nok\n", c.Stdout);
    }

    [Fact]
    public void Seccomp_can_be_turned_off_and_works_without_no_new_privs()
    {
        using var off = new ContainerRun("grep", "Seccomp:", "/proc/self/status");
        off.Spec.Seccomp = false;
        Assert.Equal(0, off.Run());
        Assert.Equal("Seccomp:\t0\n", off.Stdout);
        using var nnpOff = new ContainerRun("grep", "-E", "^(Seccomp|NoNewPrivs):", "/proc/self/status");
        nnpOff.Spec.Process.NoNewPrivileges = false;
        nnpOff.Spec.Process.Uid = 1000;
        Assert.Equal(0, nnpOff.Run());
        Assert.Equal("NoNewPrivs:\t0\nSeccomp:\t2\n", nnpOff.Stdout);
    }

    [Fact]
    public void A_user_drop_leaves_no_effective_caps()
    {
        using var c = new ContainerRun("sh", "-c", "id -u; id -g; grep CapEff /proc/self/status");
        c.Spec.Process.Uid = 1000;
        c.Spec.Process.Gid = 1001;
        Assert.Equal(0, c.Run());
        Assert.Equal("1000\n1001\nCapEff:\t0000000000000000\n", c.Stdout);
    }

    [Fact]
    public void Masked_and_readonly_paths_apply_unless_privileged()
    {
        const string probe = "wc -c < /proc/timer_list; grep -c ' /proc/sys ro,' /proc/self/mountinfo; echo 1 2>/dev/null > /proc/sysrq-trigger || echo ro";
        using var c = new ContainerRun("sh", "-c", probe);
        Assert.Equal(0, c.Run());
        Assert.Equal("0\n1\nro\n", c.Stdout);
    }

    [Fact]
    public void Privileged_skips_masking_and_keeps_all_caps()
    {
        using var c = new ContainerRun("sh", "-c", "wc -c < /proc/timer_list; grep CapEff /proc/self/status");
        c.Spec.Privileged = true;
        c.Spec.Process.Capabilities = [.. Security.Capabilities.Privileged()];
        Assert.Equal(0, c.Run());
        var lines = c.Stdout.Split('\n');
        Assert.NotEqual("0", lines[0]);
        var hostPermitted = File.ReadAllLines("/proc/self/status").Single(l => l.StartsWith("CapPrm:"))[7..].Trim();
        var expected = Security.Capabilities.Mask(Security.Capabilities.Privileged()) & Convert.ToUInt64(hostPermitted, 16);
        Assert.Equal($"CapEff:\t{expected:x16}", lines[1]);
    }

    [Fact]
    public void Read_only_root_refuses_writes()
    {
        using var c = new ContainerRun("sh", "-c", "touch /x && echo wrote; touch /dev/shm/y && echo shm");
        c.Spec.Rootfs.ReadOnly = true;
        Assert.Equal(0, c.Run());
        Assert.Equal("shm\n", c.Stdout);
        Assert.Contains("Read-only file system", c.Stderr);
    }

    [Fact]
    public void Dev_has_the_standard_nodes_and_pts()
    {
        using var c = new ContainerRun("sh", "-c", "ls /dev; echo x > /dev/null && head -c 4 /dev/zero | wc -c");
        Assert.Equal(0, c.Run());
        foreach (var name in new[] { "null", "zero", "full", "random", "urandom", "tty", "pts", "ptmx", "shm", "mqueue", "fd", "stdin" })
            Assert.Contains(name + "\n", c.Stdout);
        Assert.EndsWith("4\n", c.Stdout);
    }

    [Fact]
    public void Working_directory_is_created_when_missing()
    {
        using var c = new ContainerRun("pwd");
        c.Spec.Process.Cwd = "/work/dir";
        Assert.Equal(0, c.Run());
        Assert.Equal("/work/dir\n", c.Stdout);
    }

    [Fact]
    public void Host_network_sees_the_host_interfaces()
    {
        using var c = new ContainerRun("ls", "/sys/class/net");
        c.Spec.Network = "host";
        Assert.Equal(0, c.Run());
        var expected = Directory.GetFileSystemEntries("/sys/class/net").Select(p => Path.GetFileName(p)!).Order().ToList();
        Assert.Equal(expected, c.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToList());
    }

    [Fact]
    public void Rlimits_and_domainname_apply()
    {
        using var c = new ContainerRun("sh", "-c", "ulimit -n; cat /proc/sys/kernel/domainname");
        c.Spec.Domainname = "probe.example";
        c.Spec.Process.Rlimits = [new Spec.RlimitSpec { Type = "RLIMIT_NOFILE", Soft = 321, Hard = 654 }];
        Assert.Equal(0, c.Run());
        Assert.Equal("321\nprobe.example\n", c.Stdout);
    }

    [Fact]
    public void An_unknown_rlimit_is_named()
    {
        using var c = new ContainerRun("true");
        c.Spec.Process.Rlimits = [new Spec.RlimitSpec { Type = "RLIMIT_BOGUS", Soft = 1, Hard = 1 }];
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Equal(125, e.ExitCode);
        Assert.Contains("RLIMIT_BOGUS", e.Message);
    }

    [Fact]
    public void An_empty_command_is_rejected_before_anything_starts()
    {
        using var c = new ContainerRun();
        var e = Assert.Throws<Berth.Core.BerthException>(() => c.Start());
        Assert.Contains("no command", e.Message);
    }
}
