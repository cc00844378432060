using System.Diagnostics;

namespace Berth.Runtime.Tests;

/// <summary>A throw-away rootfs: static busybox and its applet links in /bin, plus a few probe files.</summary>
public sealed class BusyboxRootfs : IDisposable
{
    public BusyboxRootfs()
    {
        Dir = Directory.CreateTempSubdirectory("berth-rt-c-").FullName;
        Root = System.IO.Path.Combine(Dir, "root");
        var bin = System.IO.Path.Combine(Root, "bin");
        Directory.CreateDirectory(bin);
        foreach (var d in new[] { "etc", "tmp", "proc", "sys", "dev" })
            Directory.CreateDirectory(System.IO.Path.Combine(Root, d));
        File.Copy("/bin/busybox", System.IO.Path.Combine(bin, "busybox"));
        var list = Process.Start(new ProcessStartInfo("/bin/busybox", "--list") { RedirectStandardOutput = true })!;
        foreach (var applet in list.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (applet != "busybox")
                File.CreateSymbolicLink(System.IO.Path.Combine(bin, applet), "busybox");
        list.WaitForExit();
        File.WriteAllText(System.IO.Path.Combine(Root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        StateDir = System.IO.Path.Combine(Dir, "state");
    }

    /// <summary>The temp dir holding everything (removed on dispose).</summary>
    public string Dir { get; }

    public string Root { get; }

    public string StateDir { get; }

    public void Dispose()
    {
        // A mount left on the host would make the delete walk into it; fail loudly instead.
        var mounts = File.ReadAllText("/proc/self/mountinfo");
        Assert.DoesNotContain(Dir, mounts);
        Directory.Delete(Dir, true);
    }
}
