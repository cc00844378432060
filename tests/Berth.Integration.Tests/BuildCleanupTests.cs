namespace Berth.Integration.Tests;

/// <summary>A build's untagged step images go with the last image that needs them (rmi, image prune), as in Docker's classic builder.</summary>
[Trait("Category", "Root")]
public sealed class BuildCleanupTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    private int ImageCount() => Ok("images", "-aq").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private string Build(string tag, string dockerfile) => Ok("build", "-q", "-t", tag, fixture.Context(("Dockerfile", dockerfile))).Stdout.Trim();

    [Fact]
    public void RmiTakesUntaggedParentsUnlessAnotherImageOrNoPruneKeepsThem()
    {
        int before = ImageCount();
        Build("bc-one", "FROM busybox\nRUN echo a > /a\nENV X=1\nRUN echo b > /b\n");
        Assert.Equal(before + 3, ImageCount());
        Ok("rmi", "bc-one");
        Assert.Equal(before, ImageCount());

        // Two images share their first step: removing one keeps it for the other.
        Build("bc-left", "FROM busybox\nRUN echo a > /a\nRUN echo left > /side\n");
        Build("bc-right", "FROM busybox\nRUN echo a > /a\nRUN echo right > /side\n");
        Assert.Equal(before + 3, ImageCount());
        Ok("rmi", "bc-left");
        Assert.Equal(before + 2, ImageCount());
        Assert.Equal("a\nright\n", Ok("run", "--rm", "bc-right", "cat", "/a", "/side").Stdout);
        Ok("rmi", "bc-right");
        Assert.Equal(before, ImageCount());

        // --no-prune leaves the parents; they are then dangling, and image prune takes them.
        Build("bc-keep", "FROM busybox\nRUN echo k > /k\nENV K=1\n");
        Ok("rmi", "--no-prune", "bc-keep");
        Assert.Equal(before + 1, ImageCount());
        Ok("image", "prune", "-f");
        Assert.Equal(before, ImageCount());
    }

    [Fact]
    public void ImagePruneKeepsTheParentsOfTaggedImagesAndTakesDanglingChains()
    {
        Build("bc-tagged", "FROM busybox\nRUN echo t > /t\nENV T=1\n");
        string ctx = fixture.Context(("Dockerfile", "FROM busybox\nRUN echo d > /d\nENV D=1\n"));
        Ok("build", "-t", "bc-dangling", ctx);
        Ok("build", "--no-cache", "-t", "bc-dangling", ctx); // the first result loses its name: a dangling chain
        int before = ImageCount();
        Ok("image", "prune", "-f");
        Assert.Equal(before - 2, ImageCount());
        Assert.Equal("t\n", Ok("run", "--rm", "bc-tagged", "cat", "/t").Stdout);
        Ok("image", "prune", "-f");
        Assert.Equal(before - 2, ImageCount());
        Ok("rmi", "bc-tagged", "bc-dangling");
    }
}
