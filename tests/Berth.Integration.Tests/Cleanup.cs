namespace Berth.Integration.Tests;

/// <summary>Hard cleanup after a test daemon: stray monitors and containers, mounts and cgroups under its roots.</summary>
public static class Cleanup
{
    public static void KillMonitorsUnder(string runDir)
    {
        string containers = Path.Combine(runDir, "containers");
        if (!Directory.Exists(containers)) return;
        foreach (var dir in Directory.GetDirectories(containers))
        {
            foreach (var file in new[] { "state.json" })
            {
                string path = Path.Combine(dir, file);
                if (!File.Exists(path)) continue;
                foreach (var pid in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), "\"(?:MonitorPid|Pid)\"\\s*:\\s*(\\d+)"))
                    Posix.Kill(int.Parse(((System.Text.RegularExpressions.Match)pid).Groups[1].Value), 9);
            }
        }
        Thread.Sleep(100);
    }

    public static void UnmountUnder(string root)
    {
        for (int pass = 0; pass < 3; pass++)
        {
            var mounts = File.ReadAllLines("/proc/self/mountinfo")
                .Select(l => l.Split(' ')[4])
                .Where(m => m.StartsWith(root, StringComparison.Ordinal))
                .OrderByDescending(m => m.Length)
                .ToList();
            if (mounts.Count == 0) return;
            foreach (var m in mounts) Posix.Umount2(m, 2 /* MNT_DETACH */);
        }
    }

    public static void RemoveCgroupsOf(string dataRoot)
    {
        string containers = Path.Combine(dataRoot, "containers");
        if (!Directory.Exists(containers)) return;
        foreach (var dir in Directory.GetDirectories(containers))
        {
            string id = Path.GetFileName(dir);
            foreach (var ctrl in Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup") : [])
            {
                string cg = Path.Combine(ctrl, "berth", id);
                if (Directory.Exists(cg)) try { Directory.Delete(cg); } catch (IOException) { /* still has tasks */ }
            }
            string v2 = Path.Combine("/sys/fs/cgroup/berth", id);
            if (Directory.Exists(v2)) try { Directory.Delete(v2); } catch (IOException) { /* still has tasks */ }
        }
    }
}
