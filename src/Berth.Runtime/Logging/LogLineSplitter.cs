namespace Berth.Runtime.Logging;

/// <summary>Reads a log file handle in chunks and hands out complete lines, keeping an unfinished tail for the next read.</summary>
internal sealed class LogLineSplitter
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public LogLineSplitter(FileStream file) => File = file;

    public FileStream File { get; }

    /// <summary>Drops buffered bytes (the file was truncated and is read again from the start).</summary>
    public void Reset()
    {
        _start = _end = 0;
        File.Position = 0;
    }

    /// <summary>Returns the next complete line without its newline, reading more as needed; false at end of file.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line)
    {
        while (true)
        {
            int nl = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (nl >= 0)
            {
                line = _buffer.AsMemory(_start, nl);
                _start += nl + 1;
                return true;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
                Array.Resize(ref _buffer, _buffer.Length * 2);
            int n = File.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                line = default;
                return false;
            }
            _end += n;
        }
    }
}
