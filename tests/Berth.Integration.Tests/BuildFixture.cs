namespace Berth.Integration.Tests;

/// <summary>A daemon of the build tests' own with busybox, and a helper that writes a context directory.</summary>
public sealed class BuildFixture : IDisposable
{
    public BuildFixture()
    {
        Daemon = new BerthDaemon();
        var r = Daemon.Berth("image", "bootstrap");
        if (r.ExitCode != 0) throw new InvalidOperationException("berth image bootstrap failed: " + r);
    }

    public BerthDaemon Daemon { get; }

    /// <summary>A fresh context directory with the given files (path → content).</summary>
    public string Context(params (string Path, string Content)[] files)
    {
        string dir = Path.Combine(Daemon.Root, "ctx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        foreach (var (p, c) in files)
        {
            string full = Path.Combine(dir, p);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, c);
        }
        return dir;
    }

    public void Dispose() => Daemon.Dispose();
}
