using System.Net;
using Berth.Core;
using Berth.Network.Addressing;

namespace Berth.Network.Tests;

public sealed class SubnetTests
{
    [Theory]
    [InlineData("10.0.0.0/33", "invalid subnet 10.0.0.0/33: prefix length must be 0-32")]
    [InlineData("10.0.0.0", "invalid subnet 10.0.0.0: expected CIDR notation such as 10.204.0.0/24")]
    [InlineData("10.0.0/24", "invalid subnet 10.0.0/24: 10.0.0 is not an IPv4 address")]
    [InlineData("300.1.1.0/24", "invalid subnet 300.1.1.0/24: 300.1.1.0 is not an IPv4 address")]
    [InlineData("10.0.0.0/-1", "invalid subnet 10.0.0.0/-1: prefix length must be 0-32")]
    [InlineData("fd00::/64", "invalid subnet fd00::/64: fd00:: is not an IPv4 address")]
    [InlineData("10.1.2.3/16", "invalid subnet 10.1.2.3/16: host bits are set; did you mean 10.1.0.0/16?")]
    public void Bad_subnets_are_rejected_naming_the_value(string text, string message)
    {
        var e = Assert.Throws<BerthException>(() => Subnet.Parse(text));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(message, e.Message);
        Assert.False(Subnet.TryParse(text, out _));
    }

    [Fact]
    public void Parse_and_properties()
    {
        var subnet = Subnet.Parse("10.204.3.0/24");
        Assert.Equal("10.204.3.0/24", subnet.ToString());
        Assert.Equal(IPAddress.Parse("10.204.3.255"), subnet.Broadcast);
        Assert.Equal(IPAddress.Parse("10.204.3.1"), subnet.FirstHost);
        Assert.Equal(256, subnet.Size);
        Assert.True(subnet.Contains(IPAddress.Parse("10.204.3.77")));
        Assert.False(subnet.Contains(IPAddress.Parse("10.204.4.1")));
        Assert.Equal(subnet, Subnet.Parse("10.204.3.0/24"));
        Assert.Equal("0.0.0.0/0", Subnet.Parse("0.0.0.0/0").ToString());
    }

    [Theory]
    [InlineData("10.0.0.0/16", "10.0.5.0/24", true)]
    [InlineData("10.0.5.0/24", "10.0.0.0/16", true)]
    [InlineData("10.0.0.0/24", "10.0.1.0/24", false)]
    [InlineData("10.0.0.0/8", "10.0.0.0/8", true)]
    [InlineData("172.17.0.0/16", "10.203.0.0/16", false)]
    public void Overlaps(string a, string b, bool expected) =>
        Assert.Equal(expected, Subnet.Parse(a).Overlaps(Subnet.Parse(b)));

    [Fact]
    public void Default_pools_avoid_docker_and_podman()
    {
        var docker = Subnet.Parse("172.17.0.0/16");
        var podman = Subnet.Parse("10.88.0.0/16");
        foreach (var pool in new[] { SubnetPool.DefaultBridge, SubnetPool.UserNetworks.Pool })
        {
            Assert.False(pool.Overlaps(docker));
            Assert.False(pool.Overlaps(podman));
            Assert.False(pool.Overlaps(SubnetPool.DefaultBridge) && pool != SubnetPool.DefaultBridge);
        }
    }

    [Fact]
    public void SubnetPool_skips_subnets_in_use_and_reports_exhaustion()
    {
        var pool = new SubnetPool(Subnet.Parse("10.204.0.0/22"), 24);
        Assert.Equal("10.204.0.0/24", pool.Allocate([]).ToString());
        Assert.Equal("10.204.2.0/24", pool.Allocate([Subnet.Parse("10.204.0.0/23"), Subnet.Parse("192.168.0.0/16")]).ToString());
        var e = Assert.Throws<BerthException>(() => pool.Allocate([Subnet.Parse("10.0.0.0/8")]));
        Assert.Equal("no free /24 subnet left in address pool 10.204.0.0/22", e.Message);
        Assert.Equal("10.204.0.0/24", SubnetPool.UserNetworks.Allocate([SubnetPool.DefaultBridge]).ToString());
        Assert.Throws<BerthException>(() => new SubnetPool(Subnet.Parse("10.204.0.0/24"), 16));
    }
}
