using Berth.Runtime.Init;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Tests;

/// <summary>Mount destination resolution and mount option parsing (no root needed).</summary>
public sealed class InitPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-rt-path-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void Plain_paths_resolve_below_the_root() =>
        Assert.Equal(Path.Combine(_root, "a/b"), SecurePath.Resolve(_root, "/a/./b"));

    [Fact]
    public void Absolute_and_relative_symlinks_stay_inside()
    {
        Directory.CreateDirectory(Path.Combine(_root, "real/sub"));
        File.CreateSymbolicLink(Path.Combine(_root, "abs"), "/real");
        File.CreateSymbolicLink(Path.Combine(_root, "real/up"), "../real/sub");
        Assert.Equal(Path.Combine(_root, "real/x"), SecurePath.Resolve(_root, "/abs/x"));
        Assert.Equal(Path.Combine(_root, "real/sub/y"), SecurePath.Resolve(_root, "/abs/up/y"));
    }

    [Fact]
    public void Escapes_and_loops_are_refused_naming_the_destination()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "out"), "../../etc");
        File.CreateSymbolicLink(Path.Combine(_root, "loop"), "/loop");
        Assert.Contains("/out/passwd escapes", Assert.ThrowsAny<Exception>(() => SecurePath.Resolve(_root, "/out/passwd")).Message);
        Assert.Contains("/loop/x", Assert.ThrowsAny<Exception>(() => SecurePath.Resolve(_root, "/loop/x")).Message);
    }

    [Fact]
    public void Mount_options_split_into_flags_propagation_and_data()
    {
        var o = MountOptions.Parse("tmpfs", ["nosuid", "nodev", "ro", "size=1m", "mode=1777", "rprivate"]);
        Assert.Equal(MS_NOSUID | MS_NODEV | MS_RDONLY, o.Flags);
        Assert.Equal(MS_PRIVATE | MS_REC, o.Propagation);
        Assert.Equal("size=1m,mode=1777", o.Data);
        Assert.False(o.Bind);
        var b = MountOptions.Parse("none", ["rbind", "rw", "ro"]);
        Assert.True(b.Bind && b.Recursive);
        Assert.Equal(MS_RDONLY, b.Flags);
    }
}
