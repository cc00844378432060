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

    /// <summary>Removes a daemon's parent cgroup and anything left below it, in every hierarchy.</summary>
    public static void RemoveCgroupParent(string parent)
    {
        var roots = Directory.Exists("/sys/fs/cgroup") ? Directory.GetDirectories("/sys/fs/cgroup").Append("/sys/fs/cgroup") : [];
        foreach (var root in roots)
        {
            string dir = Path.Combine(root, parent);
            if (!Directory.Exists(dir)) continue;
            foreach (var child in Directory.GetDirectories(dir))
                try { Directory.Delete(child); } catch (IOException) { /* still has tasks */ }
            try { Directory.Delete(dir); } catch (IOException) { /* still has tasks */ }
        }
    }

    /// <summary>Deletes a test daemon's default bridge and nftables table, and any network namespace pins left in its run dir.</summary>
    public static void RemoveNetworking(string bridge, string table, string runDir)
    {
        string netns = Path.Combine(runDir, "netns");
        if (Directory.Exists(netns))
            foreach (var pin in Directory.GetFiles(netns))
            {
                Posix.Umount2(pin, 2 /* MNT_DETACH */);
                try { File.Delete(pin); } catch (IOException) { }
            }
        Quiet("ip", "link", "delete", bridge);
        Quiet("nft", "delete", "table", "inet", table);
    }

    private static void Quiet(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try { using var p = System.Diagnostics.Process.Start(psi)!; p.WaitForExit(10_000); }
        catch (System.ComponentModel.Win32Exception) { /* tool not installed: nothing of ours to remove */ }
    }
}
