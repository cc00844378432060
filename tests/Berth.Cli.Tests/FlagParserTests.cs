using Berth.Cli.Parsing;

namespace Berth.Cli.Tests;

public class FlagParserTests
{
    private static readonly List<Flag> Flags = new()
    {
        new("all", 'a', FlagKind.Bool, ""),
        new("quiet", 'q', FlagKind.Bool, ""),
        new("name", 'n', FlagKind.String, ""),
        new("env", 'e', FlagKind.List, ""),
    };

    [Fact]
    public void Long_short_combined_and_equals_forms()
    {
        var f = FlagParser.Parse(Flags, new[] { "-aq", "--name=x", "-e", "A=1", "-eB=2", "--env", "C=3", "pos" }, interspersed: true);
        Assert.True(f.Bool("all"));
        Assert.True(f.Bool("quiet"));
        Assert.Equal("x", f.String("name"));
        Assert.Equal(new[] { "A=1", "B=2", "C=3" }, f.List("env"));
        Assert.Equal(new[] { "pos" }, f.Args);
    }

    [Fact]
    public void Interspersed_flags_after_arguments()
    {
        var f = FlagParser.Parse(Flags, new[] { "c1", "-a", "c2" }, interspersed: true);
        Assert.True(f.Bool("all"));
        Assert.Equal(new[] { "c1", "c2" }, f.Args);
    }

    [Fact]
    public void Double_dash_ends_flags()
    {
        var f = FlagParser.Parse(Flags, new[] { "--", "-a" }, interspersed: true);
        Assert.False(f.Bool("all"));
        Assert.Equal(new[] { "-a" }, f.Args);
    }

    [Fact]
    public void Bool_with_value()
    {
        Assert.False(FlagParser.Parse(Flags, new[] { "--all=false" }, true).Bool("all"));
        var e = Assert.Throws<UsageException>(() => FlagParser.Parse(Flags, new[] { "--all=maybe" }, true));
        Assert.Contains("\"maybe\"", e.Message);
    }

    [Theory]
    [InlineData("--bogus", "unknown flag: --bogus")]
    [InlineData("-z", "unknown shorthand flag: 'z' in -z")]
    [InlineData("--name", "flag needs an argument: --name")]
    public void Errors_name_the_flag(string arg, string message)
    {
        var e = Assert.Throws<UsageException>(() => FlagParser.Parse(Flags, new[] { arg }, true));
        Assert.Equal(message, e.Message);
    }
}
