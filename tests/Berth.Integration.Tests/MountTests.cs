namespace Berth.Integration.Tests;

/// <summary>Bind mounts, tmpfs, cp through volumes, bad mount input, system df and prune, and volumes outliving the daemon.</summary>
[Trait("Category", "Root")]
public sealed class MountTests(VolumeFixture fixture) : IClassFixture<VolumeFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    private string Out(params string[] args) => Ok(args).Stdout.Trim();

    private string Host(string name) => Path.Combine(fixture.HostDir, name);

    [Fact]
    public void DashVCreatesAMissingHostDirectoryAndMountsReadOnlyWhenAsked()
    {
        string dir = Host("made-by-v");
        Ok("run", "--rm", "-v", dir + ":/w:z", "busybox", "sh", "-c", "echo from-container > /w/f");
        Assert.Equal("from-container", File.ReadAllText(Path.Combine(dir, "f")).Trim());
        var ro = _d.Berth("run", "--rm", "-v", dir + ":/w:ro", "busybox", "touch", "/w/g");
        Assert.Contains("Read-only file system", ro.Stderr);
        Assert.False(File.Exists(Path.Combine(dir, "g")));
    }

    [Fact]
    public void MountFlagRefusesAMissingSourceAndLeavesNothing()
    {
        int before = Out("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var r = _d.Berth("run", "--rm", "--mount", "type=bind,source=" + Host("missing") + ",target=/m", "busybox", "true");
        Assert.Equal(125, r.ExitCode);
        Assert.Contains("bind source path does not exist: " + Host("missing"), r.Stderr);
        Assert.False(Directory.Exists(Host("missing")));
        Assert.Equal(before, Out("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Directory.CreateDirectory(Host("ro-mount"));
        var ro = _d.Berth("run", "--rm", "--mount", "type=bind,source=" + Host("ro-mount") + ",target=/m,readonly", "busybox", "touch", "/m/x");
        Assert.Contains("Read-only file system", ro.Stderr);
    }

    [Fact]
    public void SymlinkSourceIsResolvedOnTheHostAndShownInInspect()
    {
        string real = Host("real-target");
        Directory.CreateDirectory(real);
        File.WriteAllText(Path.Combine(real, "hello"), "through the link");
        string link = Host("link-to-real");
        if (!Path.Exists(link)) File.CreateSymbolicLink(link, real);
        string id = Out("create", "-v", link + ":/l", "busybox", "cat", "/l/hello");
        Assert.Equal(real, Out("inspect", "-f", "{{range .Mounts}}{{.Source}}{{end}}", id));
        Assert.Equal("bind /l true rprivate", Out("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}} {{.Propagation}}{{end}}", id));
        Assert.Equal("through the link", Out("start", "-a", id));
        Ok("rm", id);
    }

    [Fact]
    public void TmpfsFromBothFlags()
    {
        string df = Out("run", "--rm", "--tmpfs", "/t1:size=1m,mode=1777", "--mount", "type=tmpfs,target=/t2,tmpfs-size=2m", "busybox", "sh", "-c",
            "df -k /t1 /t2 | tail -2 | awk '{print $2}'; stat -c %a /t1; grep ' /t1 ' /proc/mounts");
        var lines = df.Split('\n');
        Assert.Equal(["1024", "2048", "1777"], lines[..3]);
        Assert.Contains("noexec", lines[3]);
        var bad = _d.Berth("run", "--rm", "--tmpfs", "/t1:sizzle=1", "busybox", "true");
        Assert.Equal(125, bad.ExitCode);
        Assert.Contains("invalid tmpfs option \"sizzle=1\"", bad.Stderr);
    }

    [Theory]
    [InlineData("-v", "/tmp:/", "destination can't be '/'")]
    [InlineData("-v", "/tmp:/proc", "mounting over /proc is not allowed")]
    [InlineData("-v", "/tmp:/data:bogus", "invalid mode: bogus")]
    [InlineData("-v", "rel/path:/data", "includes invalid characters")]
    [InlineData("-v", "..:/data", "includes invalid characters")]
    [InlineData("--mount", "type=bind,source=/tmp,target=/x,colour=red", "unexpected key 'colour'")]
    [InlineData("--mount", "type=cluster,target=/x", "cluster")]
    public void BadMountInputIsRefusedWithTheValueNamedAndNothingIsCreated(string flag, string value, string expected)
    {
        int containers = Out("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        int volumes = Directory.GetDirectories(Path.Combine(_d.DataRoot, "volumes")).Length;
        var r = _d.Berth("create", flag, value, "busybox", "true");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(expected, r.Stderr);
        Assert.Equal(containers, Out("ps", "-aq").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(volumes, Directory.GetDirectories(Path.Combine(_d.DataRoot, "volumes")).Length);
    }

    [Fact]
    public void TwoMountsOnOneTargetAreRefusedAndTheFirstVolumeIsNotLeftBehind()
    {
        var r = _d.Berth("create", "-v", "vt-dup-a:/data", "--mount", "type=volume,source=vt-dup-b,target=/data", "busybox", "true");
        Assert.Contains("Duplicate mount point: /data", r.Stderr);
        Assert.NotEqual(0, _d.Berth("volume", "inspect", "vt-dup-a").ExitCode);
        // A failure after volumes were made (here: a bind source that is missing) removes the volumes it made.
        var late = _d.Berth("create", "-v", "vt-late:/data", "--mount", "type=bind,source=" + Host("absent") + ",target=/b", "busybox", "true");
        Assert.Contains("bind source path does not exist", late.Stderr);
        Assert.NotEqual(0, _d.Berth("volume", "inspect", "vt-late").ExitCode);
    }

    [Fact]
    public void CopyReachesVolumesOfStoppedAndRunningContainers()
    {
        string id = Out("create", "-v", "vt-cp:/data", "busybox", "sleep", "60");
        string src = Host("cp-in.txt");
        File.WriteAllText(src, "copied in");
        Ok("cp", src, id + ":/data/in.txt");
        Assert.Equal("copied in", File.ReadAllText(Path.Combine(_d.DataRoot, "volumes", "vt-cp", "_data", "in.txt")));
        Ok("start", id);
        Ok("exec", id, "sh", "-c", "echo from-exec > /data/out.txt");
        Ok("cp", id + ":/data/out.txt", Host("cp-out.txt"));
        Assert.Equal("from-exec", File.ReadAllText(Host("cp-out.txt")).Trim());
        Ok("rm", "-f", id);
        Ok("volume", "rm", "vt-cp");
        Assert.DoesNotContain(_d.DataRoot + "/tmp", File.ReadAllText("/proc/self/mountinfo"));
    }

    [Fact]
    public void SystemDfCountsVolumesAndSystemPruneWithVolumesRemovesUnusedAnonymousOnes()
    {
        Ok("run", "--rm", "-v", "vt-df:/d", "busybox", "sh", "-c", "head -c 50000 /dev/zero > /d/blob");
        string id = Out("create", "-v", "/anon-df", "busybox", "true");
        string anon = Out("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", id);
        var df = Out("system", "df", "--format", "{{.Type}}={{.TotalCount}}");
        Assert.Contains("Images=", df);
        Assert.Contains("Build Cache=0", df);
        var verbose = Out("system", "df", "-v");
        Assert.Contains("Local Volumes space usage:", verbose);
        Assert.Matches(@"vt-df\s+0\s+50kB", verbose);
        Ok("rm", id);
        var prune = Out("system", "prune", "-f", "--volumes");
        Assert.Contains(anon, prune);
        Assert.Contains("vt-df", Out("volume", "ls", "-q").Split('\n'));
        Ok("volume", "rm", "vt-df");
    }

    [Fact]
    public void VolumeDataSurvivesAKilledDaemon()
    {
        Ok("run", "--rm", "-v", "vt-survive:/d", "busybox", "sh", "-c", "echo durable > /d/f");
        string id = Out("run", "-d", "-v", "vt-survive:/d", "busybox", "sleep", "60");
        _d.Kill();
        _d.Start();
        Assert.Equal("durable", Out("exec", id, "cat", "/d/f"));
        var rm = _d.Berth("volume", "rm", "vt-survive");
        Assert.Contains("volume is in use", rm.Stderr);
        Assert.Contains("vt-survive", Out("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", id));
        Ok("rm", "-f", id);
        Assert.Equal("durable", Out("run", "--rm", "-v", "vt-survive:/d", "busybox", "cat", "/d/f"));
        Ok("volume", "rm", "vt-survive");
    }
}
