using Berth.Core;
using Berth.Engine.Containers;
using Berth.Engine.Images;

namespace Berth.Engine.Tests;

public sealed class ParsingTests
{
    [Theory]
    [InlineData("512", 512L)]
    [InlineData("10k", 10240L)]
    [InlineData("64m", 67108864L)]
    [InlineData("1g", 1073741824L)]
    [InlineData("1.5m", 1572864L)]
    public void ByteSizes(string text, long expected) => Assert.Equal(expected, ByteSize.Parse(text, "x"));

    [Theory]
    [InlineData("12q")]
    [InlineData("-1")]
    [InlineData("")]
    public void BadByteSizesNameTheValue(string text)
    {
        var e = Assert.Throws<BerthException>(() => ByteSize.Parse(text, "max-size"));
        Assert.Contains("max-size", e.Message);
    }

    [Fact]
    public void FiltersInBothShapes()
    {
        var a = FilterArgs.Parse("{\"status\":[\"running\",\"exited\"]}");
        Assert.Equal(["running", "exited"], a["status"]);
        var b = FilterArgs.Parse("{\"label\":{\"a=b\":true}}");
        Assert.Equal(["a=b"], b["label"]);
        Assert.Throws<BerthException>(() => FilterArgs.Parse("{\"x\":"));
        Assert.Throws<BerthException>(() => FilterArgs.Parse("[1]"));
    }

    [Theory]
    [InlineData("busybox:latest", "busybox", true)]
    [InlineData("busybox:latest", "busy*", true)]
    [InlineData("busybox:latest", "busybox:1", false)]
    [InlineData("me/app:v1", "me/*", true)]
    [InlineData("me/app:v1", "*", false)]
    public void ReferenceGlobs(string name, string pattern, bool expected) => Assert.Equal(expected, ImageFilter.ReferenceMatches(name, pattern));

    [Theory]
    [InlineData("web")]
    [InlineData("/web")]
    [InlineData("a.b_c-d")]
    public void ValidNames(string name) => Assert.Equal(name.TrimStart('/'), ContainerNames.Normalize(name));

    [Theory]
    [InlineData("bad/name")]
    [InlineData("-x")]
    [InlineData("a b")]
    [InlineData("")]
    public void InvalidNames(string name) => Assert.Throws<BerthException>(() => ContainerNames.Normalize(name));

    [Fact]
    public void UntilAcceptsSecondsDatesAndDurations()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(100), ContainerFilter.ParseUntil("100"));
        Assert.True(ContainerFilter.ParseUntil("10m") < DateTimeOffset.UtcNow.AddMinutes(-9));
        Assert.Throws<BerthException>(() => ContainerFilter.ParseUntil("yesterday"));
    }
}
