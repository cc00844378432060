namespace Berth.Runtime.Monitor;

/// <summary>The write end of a process's stdin (a pipe, or the pty master); holds back what the process has not taken yet so the monitor never blocks on it.</summary>
internal sealed unsafe class StdinSink(int fd, bool isPty)
{
    private byte[] _pending = [];
    private int _pendingOffset;
    private int _pendingLength;
    private bool _closeWhenDrained;

    public int Fd { get; private set; } = fd;

    public bool HasPending => _pendingLength > 0;

    /// <summary>True when a client's input may be read and forwarded now.</summary>
    public bool Accepting => Fd >= 0 && !HasPending && !_closeWhenDrained;

    public void Write(ReadOnlySpan<byte> data)
    {
        if (Fd < 0 || data.IsEmpty)
            return;
        int done = TryWrite(data);
        if (done < 0)
            return;
        if (done < data.Length)
        {
            _pending = data[done..].ToArray();
            _pendingOffset = 0;
            _pendingLength = _pending.Length;
        }
    }

    /// <summary>The fd polled writable: pushes what is pending.</summary>
    public void OnWritable()
    {
        if (Fd < 0 || _pendingLength == 0)
            return;
        int done = TryWrite(_pending.AsSpan(_pendingOffset, _pendingLength));
        if (done < 0)
            return;
        _pendingOffset += done;
        _pendingLength -= done;
        if (_pendingLength == 0)
        {
            _pending = [];
            if (_closeWhenDrained)
                Close();
        }
    }

    /// <summary>Closes stdin once pending input is delivered; a pty master stays open (it also carries output), as Docker ignores StdinOnce with a tty.</summary>
    public void RequestClose()
    {
        if (isPty)
            return;
        if (HasPending)
            _closeWhenDrained = true;
        else
            Close();
    }

    public void Close()
    {
        if (Fd >= 0 && !isPty)
            MonitorSyscalls.close(Fd);
        Fd = -1;
        _pending = [];
        _pendingLength = 0;
    }

    /// <summary>Non-blocking write; bytes written, or -1 when the reader is gone (stdin then closed).</summary>
    private int TryWrite(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = MonitorSyscalls.write(Fd, p, data.Length);
                if (n >= 0)
                    return (int)n;
                int errno = MonitorSyscalls.LastErrno;
                if (errno == MonitorSyscalls.EINTR)
                    continue;
                if (errno == MonitorSyscalls.EAGAIN)
                    return 0;
                Close();
                return -1;
            }
        }
    }
}
