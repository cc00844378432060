using Berth.Build.Context;
using Berth.Build.Planning;
using Berth.Core;

namespace Berth.Build.Tests.Planning;

public sealed class DockerIgnoreTests
{
    [Theory]
    [InlineData("node_modules\n", "node_modules/a/b.js", true)]
    [InlineData("*.log\n", "a.log", true)]
    [InlineData("*.log\n", "sub/a.log", false)]
    [InlineData("**/*.log\n", "sub/deep/a.log", true)]
    [InlineData("**/*.log\n", "a.log", true)]
    [InlineData("/secret\n", "secret", true)]
    [InlineData("./build/../out\n", "out/x", true)]
    [InlineData("*.md\n!README.md\n", "README.md", false)]
    [InlineData("*.md\n!README.md\n", "CHANGES.md", true)]
    [InlineData("docs\n!docs/keep\n", "docs/keep", false)]
    [InlineData("docs\n!docs/keep\n", "docs/drop", true)]
    [InlineData("# comment\n\n", "# comment", false)]
    [InlineData("a?c\n", "abc", true)]
    [InlineData("[a-c]x\n", "bx", true)]
    [InlineData("!*.md\n*.md\n", "x.md", true)]
    public void MatchesAsDocker(string patterns, string path, bool ignored) =>
        Assert.Equal(ignored, DockerIgnore.Parse(patterns).IsIgnored(path));
}

public sealed class CacheKeyTests
{
    private static readonly KeyValuePair<string, string>[] NoArgs = [];

    [Fact]
    public void ArgOrderDoesNotMatterButValuesDo()
    {
        var a = new CacheKey("p", "RUN x", [new("A", "1"), new("B", "2")], null);
        var b = new CacheKey("p", "RUN x", [new("B", "2"), new("A", "1")], null);
        var c = new CacheKey("p", "RUN x", [new("A", "1"), new("B", "3")], null);
        Assert.Equal(a.Digest, b.Digest);
        Assert.NotEqual(a.Digest, c.Digest);
        Assert.Equal("build arg B changed (\"2\" -> \"3\")", c.ExplainMiss(a, null, null));
    }

    [Fact]
    public void EveryPartChangesTheKeyAndTheExplanationNamesIt()
    {
        var baseKey = new CacheKey("p1", "COPY a /", NoArgs, "sha256:1");
        Assert.NotEqual(baseKey.Digest, (baseKey with { ParentId = "p2" }).Digest);
        Assert.NotEqual(baseKey.Digest, (baseKey with { Instruction = "COPY b /" }).Digest);
        Assert.NotEqual(baseKey.Digest, (baseKey with { ContentDigest = "sha256:2" }).Digest);
        Assert.Equal("the previous step's result changed", (baseKey with { ParentId = "p2" }).ExplainMiss(baseKey, null, null));
        Assert.Equal("the instruction changed (was: COPY a /)", (baseKey with { Instruction = "COPY b /" }).ExplainMiss(baseKey, null, null));
        var before = new Dictionary<string, string> { ["a"] = "1", ["b"] = "1" };
        var after = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
        Assert.Equal("file b changed", (baseKey with { ContentDigest = "sha256:2" }).ExplainMiss(baseKey, before, after));
        Assert.Equal("file c was added", (baseKey with { ContentDigest = "sha256:2" }).ExplainMiss(baseKey, before, new Dictionary<string, string>(before) { ["c"] = "1" }));
        Assert.Equal("no earlier build of this step", baseKey.ExplainMiss(null, null, null));
        Assert.Null(baseKey.ExplainMiss(baseKey, null, null));
    }
}

public sealed class CopyDestinationTests
{
    [Theory]
    [InlineData("/abs", "/w", "/abs")]
    [InlineData("rel", "/w", "/w/rel")]
    [InlineData("rel/", "/w", "/w/rel/")]
    [InlineData(".", "/w", "/w/")]
    [InlineData("./", null, "/")]
    [InlineData("a/../b", "/w", "/w/b")]
    [InlineData("../../x", "/w", "/x")]
    public void AbsoluteFollowsWorkdir(string dest, string? workdir, string expected) =>
        Assert.Equal(expected, CopyDestination.Absolute(dest, workdir));

    [Fact]
    public void FileLandsInsideDirectoriesOnly()
    {
        Assert.Equal("/d/f", CopyDestination.ForFile("/d/", "f", false));
        Assert.Equal("/d/f", CopyDestination.ForFile("/d", "f", true));
        Assert.Equal("/d", CopyDestination.ForFile("/d", "f", false));
    }

    [Fact]
    public void SeveralSourcesNeedADirectory()
    {
        Assert.Throws<BerthException>(() => CopyDestination.CheckMany("COPY", "/d", 2, false));
        CopyDestination.CheckMany("COPY", "/d/", 2, false);
        CopyDestination.CheckMany("COPY", "/d", 2, true);
        CopyDestination.CheckMany("COPY", "/d", 1, false);
    }
}
