namespace Berth.Runtime.Tests;

/// <summary>A unique temp dir for one log test, removed on dispose.</summary>
internal sealed class LogTestDir : IDisposable
{
    public LogTestDir()
    {
        Path = Directory.CreateTempSubdirectory("berth-logtest-").FullName;
    }

    public string Path { get; }

    public string LogPath => System.IO.Path.Combine(Path, "c1-json.log");

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
