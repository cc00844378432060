using Berth.Core;

namespace Berth.Runtime.Tests;

public class ContainerSignalsTests
{
    [Theory]
    [InlineData("SIGTERM", 15)]
    [InlineData("TERM", 15)]
    [InlineData("term", 15)]
    [InlineData("15", 15)]
    [InlineData("KILL", 9)]
    [InlineData("SIGKILL", 9)]
    [InlineData("SIGUSR1", 10)]
    [InlineData("WINCH", 28)]
    [InlineData("SIGRTMIN+3", 37)]
    [InlineData("RTMAX", 64)]
    public void Parse_accepts_names_and_numbers(string input, int expected) => Assert.Equal(expected, ContainerSignals.Parse(input));

    [Theory]
    [InlineData("SIGFOO")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("")]
    public void Parse_rejects_bad_signals_naming_them(string input)
    {
        var e = Assert.Throws<BerthException>(() => ContainerSignals.Parse(input));
        Assert.Contains($"\"{input}\"", e.Message);
    }

    [Fact]
    public void NameOf_gives_conventional_names()
    {
        Assert.Equal("SIGTERM", ContainerSignals.NameOf(15));
        Assert.Equal("SIGKILL", ContainerSignals.NameOf(9));
    }

    [Fact]
    public void Send_to_a_vanished_process_returns_false() => Assert.False(ContainerSignals.Send(int.MaxValue - 7, 0));
}
