using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Launch;

/// <summary>Puts the launching thread into the container's v1 cgroups (so the child is born there) and back out after the spawn.</summary>
internal static class ThreadPlacement
{
    [ThreadStatic]
    private static Dictionary<string, string>? _home;

    /// <param name="driver">A driver that <see cref="ICgroupDriver.SupportsThreadPlacement"/>: only cgroup v1 does.</param>
    public static void Enter(ICgroupDriver driver, string path)
    {
        _home = CgroupV1.ThreadCgroups();
        ((CgroupV1)driver).MoveCurrentThread(path);
    }

    public static void Leave(ICgroupDriver driver)
    {
        if (_home != null)
            ((CgroupV1)driver).ReturnCurrentThread(_home);
        _home = null;
    }
}
