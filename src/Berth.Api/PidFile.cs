using Berth.Core;

namespace Berth.Api;

/// <summary>An exclusively locked pid file, so two daemons never share one data root.</summary>
public sealed class PidFile : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private PidFile(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    public static PidFile Acquire(string path)
    {
        try
        {
            // FileShare.None takes an exclusive advisory lock on Linux, released when the process dies.
            var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            fs.SetLength(0);
            var bytes = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId + "\n");
            fs.Write(bytes);
            fs.Flush();
            return new PidFile(fs, path);
        }
        catch (IOException e)
        {
            throw BerthException.Conflict($"another berth daemon is running: {path} is locked ({e.GetType().Name})");
        }
    }

    public void Dispose()
    {
        try { File.Delete(_path); } catch (IOException) { /* best effort */ }
        _stream.Dispose();
    }
}
