using Berth.Runtime.Cgroups;

namespace Berth.Runtime.Launch;

/// <summary>Puts the launching thread into the container's v1 cgroups (so the child is born there) and back out after the spawn.</summary>
internal static class ThreadPlacement
{
    [ThreadStatic]
    private static Dictionary<string, string>? _home;

    public static void Enter(ICgroupDriver driver, string path)
    {
        _home = CgroupV1.ThreadCgroups();
        if (driver is CgroupV1 v1)
            v1.MoveCurrentThread(path);
        else
            driver.AddTask(path, NamespacedSpawn.CurrentTid());
    }

    public static void Leave(ICgroupDriver driver)
    {
        if (_home != null && driver is CgroupV1 v1)
            v1.ReturnCurrentThread(_home);
        _home = null;
    }
}
