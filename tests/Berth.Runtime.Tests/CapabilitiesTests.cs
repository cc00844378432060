using Berth.Core;
using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

public class CapabilitiesTests
{
    [Theory]
    [InlineData("chown", "CAP_CHOWN")]
    [InlineData("CAP_NET_ADMIN", "CAP_NET_ADMIN")]
    [InlineData(" sys_admin ", "CAP_SYS_ADMIN")]
    [InlineData("Cap_Kill", "CAP_KILL")]
    public void Normalize_accepts_names_with_and_without_prefix(string input, string expected) =>
        Assert.Equal(expected, Capabilities.Normalize(input));

    [Fact]
    public void Normalize_rejects_unknown_names_naming_them()
    {
        var e = Assert.Throws<BerthException>(() => Capabilities.Normalize("CAP_FLY"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("CAP_FLY", e.Message);
    }

    [Fact]
    public void Docker_default_has_fourteen_caps()
    {
        Assert.Equal(14, Capabilities.DockerDefault.Count);
        Assert.Contains("CAP_NET_BIND_SERVICE", Capabilities.DockerDefault);
        Assert.DoesNotContain("CAP_SYS_ADMIN", Capabilities.DockerDefault);
    }

    [Fact]
    public void Privileged_covers_every_cap_up_to_the_kernel_last()
    {
        var all = Capabilities.Privileged();
        Assert.Equal(Capabilities.LastCap + 1, all.Count);
        Assert.Contains("CAP_SYS_ADMIN", all);
    }

    [Fact]
    public void Adjust_handles_add_drop_and_all()
    {
        var caps = Capabilities.Adjust(Capabilities.DockerDefault, ["NET_ADMIN"], ["chown"]);
        Assert.Contains("CAP_NET_ADMIN", caps);
        Assert.DoesNotContain("CAP_CHOWN", caps);
        Assert.Equal(["CAP_KILL"], Capabilities.Adjust(Capabilities.DockerDefault, ["KILL"], ["ALL"]));
        Assert.Equal(Capabilities.LastCap + 1, Capabilities.Adjust([], ["ALL"], []).Count);
    }

    [Fact]
    public void Mask_sets_cap_bits() => Assert.Equal((1UL << 0) | (1UL << 21), Capabilities.Mask(["CAP_CHOWN", "SYS_ADMIN"]));
}
