using Berth.Engine.Containers;

namespace Berth.Engine.Tests;

public sealed class ScopedPathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-scoped").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void AbsoluteSymlinksStayInsideTheRoot()
    {
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.CreateSymbolicLink(Path.Combine(_root, "escape"), "/etc");
        Assert.Equal(Path.Combine(_root, "etc", "passwd"), ScopedPath.Resolve(_root, "/escape/passwd", followFinal: true));
    }

    [Fact]
    public void DotDotCannotClimbAboveTheRoot()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "up"), "../../../..");
        Assert.Equal(Path.Combine(_root, "tmp"), ScopedPath.Resolve(_root, "/up/tmp", followFinal: true));
        Assert.Equal(Path.Combine(_root, "x"), ScopedPath.Resolve(_root, "/../../x", followFinal: true));
    }

    [Fact]
    public void FinalSymlinkIsKeptUnlessAsked()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link"), "/target");
        Assert.Equal(Path.Combine(_root, "link"), ScopedPath.Resolve(_root, "/link", followFinal: false));
        Assert.Equal(Path.Combine(_root, "target"), ScopedPath.Resolve(_root, "/link", followFinal: true));
    }

    [Fact]
    public void LinkLoopsAreAnError()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), "/b");
        File.CreateSymbolicLink(Path.Combine(_root, "b"), "/a");
        Assert.Throws<Berth.Core.BerthException>(() => ScopedPath.Resolve(_root, "/a/x", followFinal: true));
    }
}
