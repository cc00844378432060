namespace Berth.Integration.Tests;

/// <summary>Named and anonymous volumes from the CLI: create, ls, inspect, rm, prune, copy-up, --volumes-from, survival.</summary>
[Trait("Category", "Root")]
public sealed class VolumeTests(VolumeFixture fixture) : IClassFixture<VolumeFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    private string Out(params string[] args) => Ok(args).Stdout.Trim();

    [Fact]
    public void NamedVolumeKeepsDataAcrossContainersAndIsListedInspectedAndRemoved()
    {
        Assert.Equal("vt-named", Out("volume", "create", "--label", "team=db", "vt-named"));
        Ok("run", "--rm", "-v", "vt-named:/data", "busybox", "sh", "-c", "echo kept > /data/f");
        Assert.Equal("kept", Out("run", "--rm", "-v", "vt-named:/data:ro", "busybox", "cat", "/data/f"));
        var ro = _d.Berth("run", "--rm", "-v", "vt-named:/data:ro", "busybox", "touch", "/data/g");
        Assert.NotEqual(0, ro.ExitCode);
        Assert.Contains("Read-only file system", ro.Stderr);

        Assert.Contains("vt-named", Out("volume", "ls", "-q", "--filter", "label=team=db").Split('\n'));
        Assert.DoesNotContain("vt-named", Out("volume", "ls", "-q", "--filter", "label=team=web"));
        Assert.Contains("vt-named", Out("volume", "ls", "-q", "--filter", "name=t-nam"));
        Assert.Contains("local\tvt-named", Out("volume", "ls", "--format", "{{.Driver}}\t{{.Name}}").Split('\n'));
        Assert.Equal(Path.Combine(_d.DataRoot, "volumes", "vt-named", "_data"), Out("volume", "inspect", "-f", "{{.Mountpoint}}", "vt-named"));
        Assert.Equal("db", Out("volume", "inspect", "-f", "{{index .Labels \"team\"}}", "vt-named"));

        string id = Out("create", "-v", "vt-named:/data", "busybox", "true");
        Assert.Contains("vt-named", Out("volume", "ls", "-q", "--filter", "dangling=false").Split('\n'));
        var inUse = _d.Berth("volume", "rm", "vt-named");
        Assert.NotEqual(0, inUse.ExitCode);
        Assert.Contains("volume is in use", inUse.Stderr);
        Assert.Contains("kept", Out("run", "--rm", "-v", "vt-named:/data", "busybox", "cat", "/data/f"));
        Ok("rm", id);
        Assert.Equal("vt-named", Out("volume", "rm", "vt-named"));
        Assert.False(Directory.Exists(Path.Combine(_d.DataRoot, "volumes", "vt-named")));
        Assert.Contains("no such volume", _d.Berth("volume", "inspect", "vt-named").Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RunCreatesANamedVolumeOnFirstUse()
    {
        Ok("run", "--rm", "-v", "vt-first:/x", "busybox", "true");
        Assert.Equal("vt-first", Out("volume", "inspect", "-f", "{{.Name}}", "vt-first"));
        Ok("volume", "rm", "vt-first");
    }

    [Fact]
    public void EmptyVolumeIsFilledFromTheImageWithOwnersAndModes()
    {
        string listing = Out("run", "--rm", "-v", "vt-copy:/data", "vt-seeded:1", "sh", "-c", "stat -c '%n %u:%g %a' /data /data/f; cat /data/link");
        Assert.Equal("/data 1234:5678 750\n/data/f 1234:5678 640\nseeded", listing);
        // Not empty any more: a second use does not copy again over the user's changes.
        Ok("run", "--rm", "-v", "vt-copy:/data", "vt-seeded:1", "rm", "/data/f");
        Assert.Equal("absent", Out("run", "--rm", "-v", "vt-copy:/data", "vt-seeded:1", "sh", "-c", "test -e /data/f && echo present || echo absent"));
        Assert.Equal("", Out("run", "--rm", "-v", "vt-nocopy:/data:nocopy", "vt-seeded:1", "ls", "-A", "/data"));
        Assert.Equal("", Out("run", "--rm", "--mount", "type=volume,src=vt-nocopy2,dst=/data,volume-nocopy", "vt-seeded:1", "ls", "-A", "/data"));
        Ok("volume", "rm", "vt-copy", "vt-nocopy", "vt-nocopy2");
    }

    [Fact]
    public void AnonymousVolumesComeFromTheImageAndFromLonePathsAndGoWithRmV()
    {
        string id = Out("create", "-v", "/scratch", "vt-seeded:1", "true");
        var names = Out("inspect", "-f", "{{range .Mounts}}{{.Type}}:{{.Destination}}:{{.Name}} {{end}}", id).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, names.Length);
        Assert.All(names, n => Assert.StartsWith("volume:", n));
        var volumes = names.Select(n => n.Split(':')[2]).ToList();
        Assert.All(volumes, v => Assert.Equal(64, v.Length));
        Assert.Equal("seeded", File.ReadAllText(Path.Combine(_d.DataRoot, "volumes", volumes[0], "_data", "f")).Trim());
        Assert.Equal("", Out("volume", "inspect", "-f", "{{index .Labels \"com.docker.volume.anonymous\"}}", volumes[0]));
        Ok("rm", "-v", id);
        foreach (var v in volumes) Assert.NotEqual(0, _d.Berth("volume", "inspect", v).ExitCode);

        // run --rm takes its anonymous volumes with it, named ones stay.
        int before = Out("volume", "ls", "-q").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Ok("run", "--rm", "-v", "/anon", "-v", "vt-stays:/named", "busybox", "true");
        var after = Out("volume", "ls", "-q").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(before + 1, after.Length);
        Assert.Contains("vt-stays", after);
        Ok("volume", "rm", "vt-stays");
    }

    [Fact]
    public void VolumesFromSharesAnotherContainersMounts()
    {
        string bind = Path.Combine(fixture.HostDir, "shared");
        Directory.CreateDirectory(bind);
        string src = Out("create", "--name", "vt-src", "-v", "vt-shared:/data", "-v", bind + ":/bind", "busybox", "true");
        Ok("run", "--rm", "--volumes-from", "vt-src", "busybox", "sh", "-c", "echo via-from > /data/f; echo b > /bind/b");
        Assert.Equal("via-from", Out("run", "--rm", "-v", "vt-shared:/data", "busybox", "cat", "/data/f"));
        Assert.Equal("b", File.ReadAllText(Path.Combine(bind, "b")).Trim());
        var ro = _d.Berth("run", "--rm", "--volumes-from", "vt-src:ro", "busybox", "touch", "/data/g");
        Assert.Contains("Read-only file system", ro.Stderr);
        Ok("rm", "-v", src);
        // rm -v removes only anonymous volumes: the named one survives.
        Assert.Equal("via-from", Out("run", "--rm", "-v", "vt-shared:/data", "busybox", "cat", "/data/f"));
        Ok("volume", "rm", "vt-shared");
    }

    [Fact]
    public void PruneRemovesUnusedAnonymousVolumesAndWithAllTheNamedOnes()
    {
        Ok("volume", "create", "vt-prune-named");
        string anon = Out("volume", "create", "--label", "com.docker.volume.anonymous=");
        string used = Out("create", "-v", "vt-prune-used:/x", "busybox", "true");
        var prune = Out("volume", "prune", "-f");
        Assert.Contains(anon, prune);
        Assert.DoesNotContain("vt-prune-named", prune);
        Assert.Contains("vt-prune-named", Out("volume", "ls", "-q").Split('\n'));
        var all = Out("volume", "prune", "-a", "-f");
        Assert.Contains("vt-prune-named", all);
        Assert.DoesNotContain("vt-prune-used", all);
        Ok("rm", used);
        Ok("volume", "rm", "vt-prune-used");
    }

    [Fact]
    public void TmpfsAndBindTypeVolumeOptions()
    {
        Ok("volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=2m", "vt-tmpfs");
        Assert.Contains("2048", Out("run", "--rm", "-v", "vt-tmpfs:/t", "busybox", "df", "-k", "/t"));
        string dir = Path.Combine(fixture.HostDir, "bindvol");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "keep"), "host data");
        Ok("volume", "create", "--opt", "type=none", "--opt", "o=bind", "--opt", "device=" + dir, "vt-bindvol");
        Assert.Equal("host data", Out("run", "--rm", "-v", "vt-bindvol:/b", "busybox", "cat", "/b/keep"));
        Ok("volume", "rm", "vt-tmpfs", "vt-bindvol");
        // Removing the volume unmounts it and never deletes through the mount.
        Assert.Equal("host data", File.ReadAllText(Path.Combine(dir, "keep")));
        Assert.DoesNotContain(Path.Combine(_d.DataRoot, "volumes"), File.ReadAllText("/proc/self/mountinfo"));
    }

    [Theory]
    [InlineData("a/b", "includes invalid characters")]
    [InlineData("..", "includes invalid characters")]
    [InlineData("x\u0007y", "x\\x07y")]
    public void BadVolumeNamesAreRefusedAndNothingIsMade(string name, string expected)
    {
        int before = Directory.GetDirectories(Path.Combine(_d.DataRoot, "volumes")).Length;
        var r = _d.Berth("volume", "create", name);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Equal(before, Directory.GetDirectories(Path.Combine(_d.DataRoot, "volumes")).Length);
        var opt = _d.Berth("volume", "create", "--opt", "color=blue", "vt-badopt");
        Assert.Contains("invalid option key: \"color\"", opt.Stderr);
        Assert.NotEqual(0, _d.Berth("volume", "inspect", "vt-badopt").ExitCode);
    }
}
