using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Core.Oci;
using Berth.Engine.Containers;

namespace Berth.Engine.Tests;

public sealed class SpecBuilderTests
{
    [Fact]
    public void ContainerCmdReplacesImageCmdButKeepsEntrypoint()
    {
        var image = new ContainerRunConfig { Entrypoint = ["/entry"], Cmd = ["default"] };
        var (path, args) = SpecBuilder.Command(new ContainerConfig { Cmd = ["mine", "x"] }, image);
        Assert.Equal("/entry", path);
        Assert.Equal(["mine", "x"], args);
    }

    [Fact]
    public void ContainerEntrypointDropsImageCmd()
    {
        var image = new ContainerRunConfig { Entrypoint = ["/entry"], Cmd = ["default"] };
        var (path, args) = SpecBuilder.Command(new ContainerConfig { Entrypoint = ["/other"] }, image);
        Assert.Equal("/other", path);
        Assert.Empty(args);
    }

    [Fact]
    public void EmptyEntrypointResetsIt()
    {
        var image = new ContainerRunConfig { Entrypoint = ["/entry"], Cmd = ["default"] };
        var (path, _) = SpecBuilder.Command(new ContainerConfig { Entrypoint = [""], Cmd = ["sh"] }, image);
        Assert.Equal("sh", path);
    }

    [Fact]
    public void NoCommandIsAnError()
    {
        var e = Assert.Throws<BerthException>(() => SpecBuilder.Command(new ContainerConfig(), null));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void EnvIsMergedByKeyContainerWins()
    {
        var env = SpecBuilder.Env(["PATH=/img", "A=1", "B=2"], ["B=3", "C=4", "NOVALUE"], "host1", tty: true);
        Assert.Equal(["PATH=/img", "HOSTNAME=host1", "TERM=xterm", "A=1", "B=3", "C=4"], env);
    }
}
