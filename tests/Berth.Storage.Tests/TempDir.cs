namespace Berth.Storage.Tests;

/// <summary>A unique temp dir under /tmp removed on dispose (even when layers inside have read-only dirs).</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine("/tmp", "berth-storage-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        var p = new System.Diagnostics.ProcessStartInfo("rm", ["-rf", "--one-file-system", Path]);
        using var proc = System.Diagnostics.Process.Start(p)!;
        proc.WaitForExit();
    }
}
