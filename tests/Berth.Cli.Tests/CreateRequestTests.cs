using Berth.Cli.Parsing;
using Berth.Core.EngineApi;

namespace Berth.Cli.Tests;

public class CreateRequestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("berth-cli-req-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ContainerCreateRequest Run(params string[] args)
    {
        var f = FlagParser.Parse(ContainerFlags.Run(), args, interspersed: false);
        return CreateRequestBuilder.Build(f, f.Args, f.Bool("detach"));
    }

    [Fact]
    public void Flags_stop_at_the_image_so_the_command_keeps_its_own()
    {
        var r = Run("--rm", "-it", "-e", "A=1", "busybox", "ls", "-l", "--rm");
        Assert.Equal("busybox", r.Image);
        Assert.Equal(new[] { "ls", "-l", "--rm" }, r.Cmd);
        Assert.True(r.Tty);
        Assert.True(r.OpenStdin);
        Assert.True(r.AttachStdin);
        Assert.True(r.StdinOnce);
        Assert.True(r.HostConfig!.AutoRemove);
        Assert.Equal(new[] { "A=1" }, r.Env);
    }

    [Fact]
    public void Detached_run_attaches_nothing()
    {
        var r = Run("-d", "busybox");
        Assert.False(r.AttachStdout);
        Assert.False(r.AttachStderr);
        Assert.Null(r.Cmd);
        Assert.Equal("default", r.HostConfig!.NetworkMode);
    }

    [Fact]
    public void Env_file_then_flags_with_comments_and_inherited_names()
    {
        string file = Path.Combine(_dir, "env");
        Environment.SetEnvironmentVariable("BERTH_TEST_INHERITED", "from-host");
        File.WriteAllText(file, "# comment\nFOO=bar\n\n  SPACED=1\nBERTH_TEST_INHERITED\nBERTH_TEST_UNSET_VAR\n");
        var r = Run("--env-file", file, "-e", "X=y", "busybox");
        Assert.Equal(new[] { "FOO=bar", "SPACED=1", "BERTH_TEST_INHERITED=from-host", "X=y" }, r.Env);
    }

    [Fact]
    public void Missing_env_file_is_named()
    {
        var e = Assert.Throws<UsageException>(() => Run("--env-file", Path.Combine(_dir, "nope"), "busybox"));
        Assert.Contains(Path.Combine(_dir, "nope"), e.Message);
    }

    [Fact]
    public void Labels_from_file_and_flags()
    {
        string file = Path.Combine(_dir, "labels");
        File.WriteAllText(file, "a=1\n# x\nb\n");
        var r = Run("--label-file", file, "-l", "c=3", "--label", "a=override", "busybox");
        Assert.Equal(new Dictionary<string, string> { ["a"] = "override", ["b"] = "", ["c"] = "3" }, r.Labels);
    }

    [Theory]
    [InlineData("no", "no", 0)]
    [InlineData("always", "always", 0)]
    [InlineData("unless-stopped", "unless-stopped", 0)]
    [InlineData("on-failure", "on-failure", 0)]
    [InlineData("on-failure:5", "on-failure", 5)]
    public void Restart_policies(string text, string name, int count)
    {
        var r = Run("--restart", text, "busybox");
        Assert.Equal(name, r.HostConfig!.RestartPolicy!.Name);
        Assert.Equal(count, r.HostConfig.RestartPolicy.MaximumRetryCount);
    }

    [Theory]
    [InlineData("sometimes", "unknown policy 'sometimes'")]
    [InlineData("on-failure:x", "maximum retry count must be an integer")]
    [InlineData("always:3", "can only be used with 'on-failure'")]
    [InlineData(":3", "no policy provided before colon")]
    public void Bad_restart_policies_name_the_value(string text, string message)
    {
        var e = Assert.Throws<UsageException>(() => Run("--restart", text, "busybox"));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Restart_conflicts_with_rm()
    {
        var e = Assert.Throws<UsageException>(() => Run("--rm", "--restart", "always", "busybox"));
        Assert.Contains("--restart and --rm", e.Message);
    }

    [Theory]
    [InlineData("512m", 512L * 1024 * 1024)]
    [InlineData("1g", 1L << 30)]
    [InlineData("1G", 1L << 30)]
    [InlineData("100k", 100 * 1024)]
    [InlineData("1024", 1024)]
    [InlineData("1.5g", 3L << 29)]
    [InlineData("64MiB", 64L << 20)]
    public void Memory_units(string text, long bytes) => Assert.Equal(bytes, Run("-m", text, "busybox").HostConfig!.Memory);

    [Fact]
    public void Bad_memory_names_flag_and_value()
    {
        var e = Assert.Throws<UsageException>(() => Run("--memory", "12x", "busybox"));
        Assert.Equal("invalid argument \"12x\" for \"-m, --memory\" flag: invalid size: '12x'", e.Message);
    }

    [Theory]
    [InlineData("1.5", 1_500_000_000)]
    [InlineData("2", 2_000_000_000)]
    [InlineData("0.001", 1_000_000)]
    public void Cpus_become_nano_cpus(string text, long nano) => Assert.Equal(nano, Run("--cpus", text, "busybox").HostConfig!.NanoCpus);

    [Fact]
    public void Bad_cpus_name_the_value()
    {
        var e = Assert.Throws<UsageException>(() => Run("--cpus", "lots", "busybox"));
        Assert.Contains("\"lots\"", e.Message);
        Assert.Contains("--cpus", e.Message);
    }

    [Fact]
    public void Resource_and_security_flags()
    {
        var r = Run("--pids-limit", "100", "--read-only", "--init", "--privileged", "--cap-add", "NET_ADMIN", "--cap-drop", "ALL",
            "--security-opt", "no-new-privileges", "-u", "1000:1000", "-w", "/app", "--entrypoint", "/bin/sh", "-h", "box",
            "--stop-signal", "SIGINT", "--stop-timeout", "3", "--tmpfs", "/run:size=1m", "--dns", "1.1.1.1", "--add-host", "db=10.0.0.2",
            "--ulimit", "nofile=1024:2048", "--sysctl", "net.ipv4.ip_forward=1", "--network", "none", "busybox");
        var h = r.HostConfig!;
        Assert.Equal(100, h.PidsLimit);
        Assert.True(h.ReadonlyRootfs);
        Assert.True(h.Init);
        Assert.True(h.Privileged);
        Assert.Equal(new[] { "NET_ADMIN" }, h.CapAdd);
        Assert.Equal(new[] { "ALL" }, h.CapDrop);
        Assert.Equal(new[] { "no-new-privileges" }, h.SecurityOpt);
        Assert.Equal("1000:1000", r.User);
        Assert.Equal("/app", r.WorkingDir);
        Assert.Equal(new[] { "/bin/sh" }, r.Entrypoint);
        Assert.Equal("box", r.Hostname);
        Assert.Equal("SIGINT", r.StopSignal);
        Assert.Equal(3, r.StopTimeout);
        Assert.Equal("size=1m", h.Tmpfs!["/run"]);
        Assert.Equal(new[] { "1.1.1.1" }, h.Dns);
        Assert.Equal(new[] { "db:10.0.0.2" }, h.ExtraHosts);
        Assert.Equal(2048, h.Ulimits!.Single().Hard);
        Assert.Equal("1", h.Sysctls!["net.ipv4.ip_forward"]);
        Assert.Equal("none", h.NetworkMode);
    }

    [Fact]
    public void Ports_volumes_and_mounts()
    {
        var r = Run("-p", "8080:80", "-p", "127.0.0.1::53/udp", "--expose", "9000-9001", "-v", "/data", "-v", "/host:/ctr:ro",
            "--mount", "type=bind,source=/a,target=/b,readonly", "busybox");
        var h = r.HostConfig!;
        Assert.Equal("8080", h.PortBindings!["80/tcp"]!.Single().HostPort);
        Assert.Equal("127.0.0.1", h.PortBindings["53/udp"]!.Single().HostIp);
        Assert.Equal("", h.PortBindings["53/udp"]!.Single().HostPort);
        Assert.Contains("9001/tcp", r.ExposedPorts!.Keys);
        Assert.Contains("80/tcp", r.ExposedPorts.Keys);
        Assert.Contains("/data", r.Volumes!.Keys);
        Assert.Equal(new[] { "/host:/ctr:ro" }, h.Binds);
        var m = h.Mounts!.Single();
        Assert.Equal(("bind", "/a", "/b", true), (m.Type, m.Source, m.Target, m.ReadOnly));
    }

    [Theory]
    [InlineData("-p", "99999:80", "99999")]
    [InlineData("--mount", "type=bind,source=/a", "target is required")]
    [InlineData("--mount", "type=weird,target=/a", "weird")]
    [InlineData("--ulimit", "nofile", "nofile")]
    [InlineData("--add-host", "nohost", "nohost")]
    [InlineData("--stop-timeout", "soon", "soon")]
    [InlineData("--health-interval", "often", "often")]
    [InlineData("-a", "stdweird", "stdweird")]
    public void Invalid_values_are_named(string flag, string value, string named)
    {
        var e = Assert.Throws<UsageException>(() => Run(flag, value, "busybox"));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Healthcheck_durations()
    {
        var r = Run("--health-cmd", "true", "--health-interval", "1m30s", "--health-retries", "2", "busybox");
        Assert.Equal(new[] { "CMD-SHELL", "true" }, r.Healthcheck!.Test);
        Assert.Equal(90_000_000_000, r.Healthcheck.Interval);
        Assert.Equal(2, r.Healthcheck.Retries);
    }
}
