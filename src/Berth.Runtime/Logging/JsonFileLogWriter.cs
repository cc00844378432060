using System.Buffers;
using Berth.Core;

namespace Berth.Runtime.Logging;

/// <summary>Writes container output in Docker's json-file format, one entry per line of output, rotating by size.</summary>
/// <remarks>
/// Partial lines wait for their newline; one that grows to 16 KiB is written as a partial entry (no trailing "\n" in "log"),
/// as Docker's log copier does. Each <see cref="Write"/> ends in one write() to the file; nothing is fsynced.
/// </remarks>
public sealed class JsonFileLogWriter : IDisposable
{
    /// <summary>Docker's log copier buffer: a line longer than this is split into partial entries.</summary>
    public const int MaxLineBytes = 16 * 1024;

    private readonly string _path;
    private readonly long _maxSizeBytes;
    private readonly int _maxFiles;
    private readonly ArrayBufferWriter<byte> _out = new(4096);
    private readonly byte[][] _partial = [new byte[MaxLineBytes], new byte[MaxLineBytes], new byte[MaxLineBytes]];
    private readonly int[] _partialLength = new int[3];
    private FileStream _file;
    private long _size;

    /// <param name="path">The current log file, e.g. &lt;id&gt;-json.log; rotated files are path.1, path.2, …</param>
    /// <param name="maxSizeBytes">Rotate when the file would grow past this; 0 or less never rotates.</param>
    /// <param name="maxFiles">Files kept including the current one; 1 truncates in place.</param>
    public JsonFileLogWriter(string path, long maxSizeBytes, int maxFiles)
    {
        if (maxFiles < 1)
            throw BerthException.Invalid($"log max-file must be at least 1, got {maxFiles}");
        _path = path;
        _maxSizeBytes = maxSizeBytes;
        _maxFiles = maxFiles;
        _file = OpenCurrent(FileMode.Append);
        _size = _file.Length;
    }

    /// <summary>Logs a chunk of output from stream 1 (stdout) or 2 (stderr); complete lines are written now.</summary>
    public void Write(byte stream, ReadOnlySpan<byte> data)
    {
        if (stream != MultiplexedFrame.Stdout && stream != MultiplexedFrame.Stderr)
            throw BerthException.Invalid($"log stream must be 1 (stdout) or 2 (stderr), got {stream}");
        long now = LogTime.NowNanos();
        byte[] partial = _partial[stream];
        while (!data.IsEmpty)
        {
            int room = MaxLineBytes - _partialLength[stream];
            int nl = data[..Math.Min(room, data.Length)].IndexOf((byte)'\n');
            if (nl >= 0)
            {
                ReadOnlySpan<byte> piece = data[..(nl + 1)];
                if (_partialLength[stream] == 0)
                {
                    AppendEntry(piece, stream, now);
                }
                else
                {
                    piece.CopyTo(partial.AsSpan(_partialLength[stream]));
                    AppendEntry(partial.AsSpan(0, _partialLength[stream] + piece.Length), stream, now);
                    _partialLength[stream] = 0;
                }
                data = data[(nl + 1)..];
                continue;
            }
            int take = Math.Min(room, data.Length);
            data[..take].CopyTo(partial.AsSpan(_partialLength[stream]));
            _partialLength[stream] += take;
            data = data[take..];
            if (_partialLength[stream] == MaxLineBytes)
            {
                AppendEntry(partial, stream, now);
                _partialLength[stream] = 0;
            }
        }
        FlushBuffer();
    }

    /// <summary>Writes any held partial lines as entries (at end of output).</summary>
    public void FlushPartial()
    {
        long now = LogTime.NowNanos();
        for (byte s = 1; s <= 2; s++)
        {
            if (_partialLength[s] > 0)
            {
                AppendEntry(_partial[s].AsSpan(0, _partialLength[s]), s, now);
                _partialLength[s] = 0;
            }
        }
        FlushBuffer();
    }

    private void AppendEntry(ReadOnlySpan<byte> text, byte stream, long nanos)
    {
        int before = _out.WrittenCount;
        JsonLogLine.Append(_out, text, stream, nanos);
        int lineLength = _out.WrittenCount - before;
        if (_maxSizeBytes > 0 && _size > 0 && _size + before + lineLength > _maxSizeBytes)
        {
            // Lines before this one belong to the file being rotated out.
            var pending = _out.WrittenSpan;
            _file.Write(pending[..before]);
            byte[] line = pending[before..].ToArray();
            _out.ResetWrittenCount();
            Rotate();
            _out.Write(line);
        }
    }

    private void FlushBuffer()
    {
        if (_out.WrittenCount == 0)
            return;
        _file.Write(_out.WrittenSpan);
        _size += _out.WrittenCount;
        _out.ResetWrittenCount();
    }

    private void Rotate()
    {
        _file.Dispose();
        if (_maxFiles == 1)
        {
            _file = OpenCurrent(FileMode.Truncate);
            _size = 0;
            return;
        }
        try
        {
            File.Delete($"{_path}.{_maxFiles - 1}");
            for (int i = _maxFiles - 2; i >= 1; i--)
            {
                if (File.Exists($"{_path}.{i}"))
                    File.Move($"{_path}.{i}", $"{_path}.{i + 1}", overwrite: true);
            }
            File.Move(_path, $"{_path}.1", overwrite: true);
        }
        catch (IOException e)
        {
            throw BerthException.Internal($"rotate log {_path}: {e.Message}", e);
        }
        _file = OpenCurrent(FileMode.Append);
        _size = 0;
    }

    private FileStream OpenCurrent(FileMode mode)
    {
        var options = new FileStreamOptions
        {
            Mode = mode,
            Access = FileAccess.Write,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        };
        if (mode != FileMode.Truncate && !OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        try
        {
            return new FileStream(_path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Internal($"open log {_path}: {e.Message}", e);
        }
    }

    /// <summary>Writes held partial lines and closes the file.</summary>
    public void Dispose()
    {
        FlushPartial();
        _file.Dispose();
    }
}
