namespace Berth.Distribution.Tests;

/// <summary>A unique directory under /tmp removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "berth-dist-")
    {
        Path = System.IO.Path.Combine("/tmp", prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
    }
}
