using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Engine.Volumes;

namespace Berth.Engine.Tests;

public class MountPlannerTests
{
    private static ContainerRecord NoContainer(string name) => throw BerthException.NotFound($"No such container: {name}");

    private static List<PlannedMount> Plan(HostConfig hc, string[]? config = null, string[]? image = null, Func<string, ContainerRecord>? resolve = null) =>
        MountPlanner.Plan(hc, config, image, resolve ?? NoContainer);

    private static string Error(Action a) => Assert.Throws<BerthException>(a).Message;

    [Fact]
    public void Bind_with_mode_is_parsed_and_cleaned()
    {
        var m = Plan(new HostConfig { Binds = ["/srv//data/:/data/:ro,z"] }).Single().Mount;
        Assert.Equal(("bind", "/srv/data", "/data", false, "ro,z", "rprivate"), (m.Type, m.Source, m.Destination, m.RW, m.Mode, m.Propagation));
    }

    [Fact]
    public void Plain_name_is_a_named_volume_and_nocopy_is_kept()
    {
        var m = Plan(new HostConfig { Binds = ["cache:/var/cache:nocopy"] }).Single().Mount;
        Assert.Equal(("volume", "cache", true, true), (m.Type, m.Name, m.NoCopy, m.RW));
    }

    [Fact]
    public void Lone_path_and_image_volumes_are_anonymous_and_a_bind_replaces_them()
    {
        var plan = Plan(new HostConfig { Binds = ["/tmp:/data"] }, config: ["/logs"], image: ["/data", "/var/lib"]);
        Assert.Equal(["/data", "/logs", "/var/lib"], plan.Select(p => p.Mount.Destination).Order());
        Assert.Equal("bind", plan.Single(p => p.Mount.Destination == "/data").Mount.Type);
        Assert.True(plan.Single(p => p.Mount.Destination == "/logs").Mount.Anonymous);
    }

    [Fact]
    public void Parents_come_before_children()
    {
        var plan = Plan(new HostConfig { Binds = ["/tmp/a:/a/b/c", "/tmp/b:/a"], Tmpfs = new() { ["/a/b"] = "" } });
        Assert.Equal(["/a", "/a/b", "/a/b/c"], plan.Select(p => p.Mount.Destination));
    }

    [Theory]
    [InlineData("/tmp:/data:foo", "invalid mode: foo")]
    [InlineData("/tmp:/data:ro,rw", "invalid mode")]
    [InlineData("/tmp:/data:nocopy", "invalid mode: nocopy")]
    [InlineData("vol:/data:rshared", "invalid mode: rshared")]
    [InlineData("/tmp:/", "destination can't be '/'")]
    [InlineData("/tmp:/proc", "/proc is not allowed")]
    [InlineData("/tmp:/proc/sys", "/proc/sys is not allowed")]
    [InlineData("/tmp:relative", "must be absolute")]
    [InlineData("a/b:/data", "\"a/b\" includes invalid characters")]
    [InlineData("..:/data", "\"..\" includes invalid characters")]
    [InlineData("./x:/data", "invalid characters")]
    [InlineData("a\u0001b:/data", "a\\x01b")]
    [InlineData("/a:/b:ro:extra", "invalid volume specification")]
    [InlineData(":/data", "invalid volume specification")]
    public void Bad_binds_name_the_offending_value(string spec, string expected) =>
        Assert.Contains(expected, Error(() => Plan(new HostConfig { Binds = [spec] })));

    [Fact]
    public void Two_user_mounts_on_one_target_are_refused()
    {
        Assert.Contains("Duplicate mount point: /data", Error(() => Plan(new HostConfig { Binds = ["/tmp:/data", "vol:/data/"] })));
        Assert.Contains("Duplicate mount point: /data", Error(() => Plan(new HostConfig
        {
            Binds = ["/tmp:/data"], Mounts = [new Mount { Type = "volume", Source = "v1", Target = "/data" }],
        })));
        Assert.Contains("Duplicate mount point: /run", Error(() => Plan(new HostConfig { Binds = ["/tmp:/run"], Tmpfs = new() { ["/run"] = "" } })));
    }

    [Fact]
    public void Mount_options_are_checked_per_type()
    {
        Assert.Contains("field VolumeOptions must not be specified", Error(() => MountPlanner.ParseMount(new Mount { Type = "bind", Source = "/tmp", Target = "/x", VolumeOptions = new() })));
        Assert.Contains("field Source must not be specified", Error(() => MountPlanner.ParseMount(new Mount { Type = "tmpfs", Source = "/tmp", Target = "/x" })));
        Assert.Contains("mount type \"npipe\" is not supported", Error(() => MountPlanner.ParseMount(new Mount { Type = "npipe", Target = "/x" })));
        Assert.Contains("invalid propagation mode: sideways", Error(() => MountPlanner.ParseMount(new Mount { Type = "bind", Source = "/tmp", Target = "/x", BindOptions = new() { Propagation = "sideways" } })));
        Assert.Contains("plugin \"nfs3\" not found", Error(() => MountPlanner.ParseMount(new Mount { Type = "volume", Target = "/x", VolumeOptions = new() { DriverConfig = new() { Name = "nfs3" } } })));
        Assert.Contains("invalid subpath", Error(() => MountPlanner.ParseMount(new Mount { Type = "volume", Source = "v1", Target = "/x", VolumeOptions = new() { Subpath = "../etc" } })));
    }

    [Fact]
    public void Tmpfs_mount_becomes_kernel_options()
    {
        var m = MountPlanner.ParseMount(new Mount { Type = "tmpfs", Target = "/scratch", TmpfsOptions = new() { SizeBytes = 1 << 20, Mode = Convert.ToInt32("1770", 8) } }).Mount;
        Assert.Equal(["nosuid", "nodev", "noexec", "size=1048576", "mode=1770"], m.TmpfsOptions);
        Assert.Equal(["nosuid", "nodev", "noexec", "size=64m", "exec"], MountPlanner.TmpfsOptionList("/t", "size=64m,exec"));
        Assert.Contains("invalid tmpfs option \"bogus\" for /t", Error(() => MountPlanner.TmpfsOptionList("/t", "bogus")));
        Assert.Contains("mode must be octal", Error(() => MountPlanner.TmpfsOptionList("/t", "mode=999")));
    }

    [Fact]
    public void Volumes_from_copies_mounts_with_the_asked_access()
    {
        var source = new ContainerRecord
        {
            Id = "abc",
            Mounts =
            [
                new ContainerMount { Type = "volume", Name = "data1", Destination = "/data", Anonymous = true, RW = true },
                new ContainerMount { Type = "bind", Source = "/srv", Destination = "/srv", RW = true, Propagation = "rprivate" },
                new ContainerMount { Type = "tmpfs", Destination = "/tmp" },
            ],
        };
        var plan = Plan(new HostConfig { VolumesFrom = ["src:ro"], Binds = ["/tmp:/srv"] }, resolve: _ => source);
        Assert.Equal(2, plan.Count);
        var vol = plan.Single(p => p.Mount.Destination == "/data").Mount;
        Assert.Equal(("data1", false, false), (vol.Name, vol.RW, vol.Anonymous));
        Assert.Equal("/tmp", plan.Single(p => p.Mount.Destination == "/srv").Mount.Source);
        Assert.Contains("invalid mode: rx", Error(() => Plan(new HostConfig { VolumesFrom = ["src:rx"] }, resolve: _ => source)));
        Assert.Contains("No such container: nope", Error(() => Plan(new HostConfig { VolumesFrom = ["nope"] })));
    }

    [Theory]
    [InlineData("ab", true)]
    [InlineData("my_vol.1-x", true)]
    [InlineData("a", false)]
    [InlineData("_ab", false)]
    [InlineData("a/b", false)]
    [InlineData("..", false)]
    [InlineData("a\nb", false)]
    public void Volume_names_follow_the_local_driver(string name, bool valid) => Assert.Equal(valid, VolumeNames.IsValid(name));
}
