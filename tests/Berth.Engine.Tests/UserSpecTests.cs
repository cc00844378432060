using Berth.Core;
using Berth.Engine.Containers;

namespace Berth.Engine.Tests;

public sealed class UserSpecTests : IDisposable
{
    private readonly string _lower = Directory.CreateTempSubdirectory("berth-user-lower").FullName;
    private readonly string _upper = Directory.CreateTempSubdirectory("berth-user-upper").FullName;

    public UserSpecTests()
    {
        Directory.CreateDirectory(Path.Combine(_lower, "etc"));
        File.WriteAllText(Path.Combine(_lower, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        File.WriteAllText(Path.Combine(_lower, "etc/group"), "root:x:0:\napp:x:1000:\nwheel:x:10:app\nstaff:x:50:\n");
    }

    public void Dispose()
    {
        Directory.Delete(_lower, true);
        Directory.Delete(_upper, true);
    }

    private LayeredRootfs Rootfs => new([_upper, _lower]);

    [Fact]
    public void NameResolvesUidGidHomeAndGroups()
    {
        var u = UserSpec.Resolve("app", Rootfs);
        Assert.Equal((1000u, 1000u, "/home/app"), (u.Uid, u.Gid, u.Home));
        Assert.Equal([10u], u.Groups);
    }

    [Fact]
    public void NumericAndGroupForms()
    {
        Assert.Equal((1234u, 0u), (UserSpec.Resolve("1234", Rootfs).Uid, UserSpec.Resolve("1234", Rootfs).Gid));
        var u = UserSpec.Resolve("app:staff", Rootfs);
        Assert.Equal((1000u, 50u), (u.Uid, u.Gid));
        Assert.Equal((0u, 0u), (UserSpec.Resolve(null, Rootfs).Uid, UserSpec.Resolve("", Rootfs).Gid));
    }

    [Fact]
    public void UnknownNamesAreErrorsNamingThem()
    {
        var e = Assert.Throws<BerthException>(() => UserSpec.Resolve("ghost", Rootfs));
        Assert.Contains("ghost", e.Message);
        var g = Assert.Throws<BerthException>(() => UserSpec.Resolve("app:nogroup", Rootfs));
        Assert.Contains("nogroup", g.Message);
    }

    [Fact]
    public void UpperLayerWinsOverLower()
    {
        Directory.CreateDirectory(Path.Combine(_upper, "etc"));
        File.WriteAllText(Path.Combine(_upper, "etc/passwd"), "app:x:2000:2000::/srv:/bin/sh\n");
        Assert.Equal(2000u, UserSpec.Resolve("app", Rootfs).Uid);
    }
}
