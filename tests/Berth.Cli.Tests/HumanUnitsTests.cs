using Berth.Cli.Output;
using Berth.Core.EngineApi;

namespace Berth.Cli.Tests;

public class HumanUnitsTests
{
    [Theory]
    [InlineData(0.5, "Less than a second")]
    [InlineData(1, "1 second")]
    [InlineData(3, "3 seconds")]
    [InlineData(59, "59 seconds")]
    [InlineData(60, "About a minute")]
    [InlineData(119, "About a minute")]
    [InlineData(120, "2 minutes")]
    [InlineData(3599, "59 minutes")]
    [InlineData(3600, "About an hour")]
    [InlineData(2 * 3600, "2 hours")]
    [InlineData(47 * 3600, "47 hours")]
    [InlineData(3 * 86400, "3 days")]
    [InlineData(15 * 86400, "2 weeks")]
    [InlineData(70 * 86400, "2 months")]
    [InlineData(800 * 86400, "2 years")]
    public void Durations_read_like_docker(double seconds, string expected) =>
        Assert.Equal(expected, HumanUnits.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(100, "100B")]
    [InlineData(1234, "1.23kB")]
    [InlineData(4_261_412, "4.26MB")]
    [InlineData(1_000_000, "1MB")]
    [InlineData(12_345_678_901, "12.3GB")]
    public void Sizes_are_decimal_with_three_digits(double bytes, string expected) => Assert.Equal(expected, HumanUnits.Size(bytes));

    [Theory]
    [InlineData(1536 * 1024, "1.5MiB")]
    [InlineData(2L * 1024 * 1024 * 1024, "2GiB")]
    [InlineData(512, "512B")]
    public void Binary_sizes_for_stats(double bytes, string expected) => Assert.Equal(expected, HumanUnits.BinarySize(bytes));

    [Fact]
    public void Status_strings()
    {
        Assert.Equal("Up 3 seconds", HumanUnits.UpStatus(TimeSpan.FromSeconds(3)));
        Assert.Equal("Up 2 minutes (Paused)", HumanUnits.UpStatus(TimeSpan.FromMinutes(2), paused: true));
        Assert.Equal("Exited (0) 5 seconds ago", HumanUnits.ExitedStatus(0, TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("sha256:0123456789abcdef0123", "0123456789ab")]
    [InlineData("0123456789abcdef", "0123456789ab")]
    [InlineData("short", "short")]
    public void Short_ids(string id, string expected) => Assert.Equal(expected, Display.ShortId(id));

    [Fact]
    public void Command_is_cut_with_an_ellipsis_then_quoted()
    {
        Assert.Equal("sh -c 'while true; …", Display.Ellipsis("sh -c 'while true; do sleep 1; done'", 20));
        Assert.Equal("\"echo \\\"hi\\\"\"", Display.Quote("echo \"hi\""));
    }

    [Fact]
    public void Ports_column()
    {
        var ports = new[]
        {
            new ContainerPort { PrivatePort = 443, Type = "tcp" },
            new ContainerPort { IP = "0.0.0.0", PrivatePort = 80, PublicPort = 8080, Type = "tcp" },
        };
        Assert.Equal("0.0.0.0:8080->80/tcp, 443/tcp", Display.Ports(ports));
    }
}
