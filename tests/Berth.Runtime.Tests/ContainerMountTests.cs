using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

[Trait("Category", "Root")]
public class ContainerMountTests
{
    [Fact]
    public void Bind_and_tmpfs_mounts_apply_with_their_options()
    {
        using var c = new ContainerRun("sh", "-c",
            "cat /data/hello; touch /data/x 2>/dev/null || echo ro; grep ' /scratch ' /proc/self/mountinfo | grep -c 'size=1024k,mode=700'; stat -c %a /scratch");
        var data = Path.Combine(c.Rootfs.Dir, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "hello"), "hi\n");
        c.Spec.Mounts.Add(new MountSpec { Destination = "/data", Source = data, Type = "bind", Options = ["rbind", "ro"] });
        c.Spec.Mounts.Add(new MountSpec { Destination = "/scratch", Source = "tmpfs", Type = "tmpfs", Options = ["nosuid", "size=1m", "mode=700"] });
        Assert.Equal(0, c.Run());
        Assert.Equal("hi\nro\n1\n700\n", c.Stdout);
    }

    [Fact]
    public void A_bind_of_a_file_creates_the_target_file()
    {
        using var c = new ContainerRun("cat", "/etc/hostname");
        var file = Path.Combine(c.Rootfs.Dir, "hostname");
        File.WriteAllText(file, "probe-host\n");
        c.Spec.Mounts.Add(new MountSpec { Destination = "/etc/hostname", Source = file, Type = "bind", Options = ["rbind", "rprivate"] });
        Assert.Equal(0, c.Run());
        Assert.Equal("probe-host\n", c.Stdout);
    }

    [Fact]
    public void Absolute_symlinks_resolve_inside_the_rootfs()
    {
        using var c = new ContainerRun("sh", "-c", "ls /real");
        Directory.CreateDirectory(Path.Combine(c.Rootfs.Root, "real"));
        File.CreateSymbolicLink(Path.Combine(c.Rootfs.Root, "link"), "/real");
        var data = Path.Combine(c.Rootfs.Dir, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "marker"), "");
        c.Spec.Mounts.Add(new MountSpec { Destination = "/link", Source = data, Type = "bind", Options = ["rbind"] });
        Assert.Equal(0, c.Run());
        Assert.Equal("marker\n", c.Stdout);
    }

    [Fact]
    public void A_destination_escaping_through_a_symlink_is_refused()
    {
        using var c = new ContainerRun("true");
        File.CreateSymbolicLink(Path.Combine(c.Rootfs.Root, "evil"), "../../../..");
        c.Spec.Mounts.Add(new MountSpec { Destination = "/evil/tmp", Source = "tmpfs", Type = "tmpfs" });
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Equal(125, e.ExitCode);
        Assert.Contains("/evil/tmp escapes the rootfs", e.Message);
    }

    [Fact]
    public void A_missing_bind_source_is_named()
    {
        using var c = new ContainerRun("true");
        c.Spec.Mounts.Add(new MountSpec { Destination = "/x", Source = "/nonexistent/berth-src", Type = "bind", Options = ["rbind"] });
        var e = Assert.Throws<ContainerStartException>(() => c.Start());
        Assert.Contains("/nonexistent/berth-src", e.Message);
    }

    [Fact]
    public void Overlay_rootfs_writes_go_to_the_upper_dir()
    {
        using var c = new ContainerRun("sh", "-c", "echo new > /created; cat /etc/passwd | head -c 4");
        var upper = Path.Combine(c.Rootfs.Dir, "upper");
        var work = Path.Combine(c.Rootfs.Dir, "work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        c.Spec.Rootfs = new RootfsSpec { LowerDirs = [c.Rootfs.Root], UpperDir = upper, WorkDir = work };
        Assert.Equal(0, c.Run());
        Assert.Equal("root", c.Stdout);
        Assert.Equal("new\n", File.ReadAllText(Path.Combine(upper, "created")));
        Assert.False(File.Exists(Path.Combine(c.Rootfs.Root, "created")));
    }

    [Fact]
    public void Sysctls_are_written_in_the_container_namespaces()
    {
        using var c = new ContainerRun("cat", "/proc/sys/kernel/domainname", "/proc/sys/net/ipv4/ip_forward");
        c.Spec.Sysctls = new() { ["kernel.domainname"] = "probe.test", ["net.ipv4.ip_forward"] = "1" };
        Assert.Equal(0, c.Run());
        Assert.Equal("probe.test\n1\n", c.Stdout);
    }
}
