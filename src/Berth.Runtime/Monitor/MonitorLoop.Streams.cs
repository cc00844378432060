using System.Text.Json;
using Berth.Runtime.Logging;
using static Berth.Runtime.Monitor.MonitorSyscalls;

namespace Berth.Runtime.Monitor;

/// <summary>Moving bytes: process output to the log and attached clients, client input to the process's stdin.</summary>
internal sealed unsafe partial class MonitorLoop
{
    /// <summary>Reads one chunk; false when the source is finished (end of file, or EIO from a pty whose slave is closed).</summary>
    private bool ReadOutput(ProcessStdio process, OutputSource source)
    {
        if (source.Fd < 0)
            return false; // closed earlier in this poll round (the process's exit was handled first)
        nint n;
        fixed (byte* p = _buffer)
        {
            do
                n = read(source.Fd, p + MultiplexedFrame.HeaderSize, ChunkSize);
            while (n < 0 && LastErrno == EINTR);
        }
        if (n > 0)
        {
            Distribute(process, source.Stream, (int)n);
            return true;
        }
        if (n < 0 && LastErrno == EAGAIN)
            return false;
        // Done: a pty master stays open (stdin and resize use it) until the process is gone.
        if (source.Fd != process.PtyMaster)
            close(source.Fd);
        source.Fd = -1;
        return false;
    }

    /// <summary>Takes whatever output is already buffered (the process has exited); stops at the first empty read so a leftover holder of the pipe cannot stall us.</summary>
    private void DrainOutputs(ProcessStdio process)
    {
        foreach (var source in process.Outputs)
        {
            for (int i = 0; i < 4096 && source.Fd >= 0; i++)
            {
                if (!ReadOutput(process, source))
                    break;
            }
        }
    }

    /// <summary>Sends the chunk at _buffer[8..8+length] to the log (container only) and to each client that wants this stream.</summary>
    private void Distribute(ProcessStdio process, byte stream, int length)
    {
        var payload = _buffer.AsSpan(MultiplexedFrame.HeaderSize, length);
        if (process == _container && _log is not null)
        {
            try
            {
                _log.Write(stream, payload);
            }
            catch (Berth.Core.BerthException)
            {
                // A full or vanished log disk must not stop the container's output from flowing to attached clients.
            }
        }
        if (process.Clients.Count == 0)
            return;
        ReadOnlySpan<byte> frame;
        if (process.Tty)
        {
            frame = payload;
        }
        else
        {
            MultiplexedFrame.WriteHeader(_buffer, stream, length);
            frame = _buffer.AsSpan(0, MultiplexedFrame.HeaderSize + length);
        }
        foreach (var c in process.Clients.ToArray())
        {
            if (stream == MultiplexedFrame.Stderr ? !c.WantStderr : !c.WantStdout)
                continue;
            if (!WriteAll(c.Fd, frame, socket: true))
                DropClient(c);
        }
    }

    private void OnClientEvent(ClientConnection c, short revents)
    {
        if (c.Closed)
            return;
        if ((revents & POLLIN) == 0)
        {
            if ((revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
                DropClient(c);
            return;
        }
        switch (c.Phase)
        {
            case ConnectionPhase.Request:
                ReadRequest(c);
                break;
            case ConnectionPhase.Waiting:
                // A waiter sends nothing more; readable means it went away.
                if (ReadClient(c, _buffer) <= 0)
                    DropClient(c);
                break;
            case ConnectionPhase.Attached:
                int n = ReadClient(c, _buffer.AsSpan(0, ChunkSize));
                if (n > 0)
                    ForwardInput(c, _buffer.AsSpan(0, n));
                else if (n == 0)
                    EndInput(c);
                else
                    DropClient(c);
                break;
        }
    }

    private void ReadRequest(ClientConnection c)
    {
        if (c.RequestLength == c.Request.Length)
        {
            if (c.Request.Length >= ClientConnection.MaxRequestBytes)
            {
                SendError(c, Berth.Core.BerthException.Invalid($"monitor request longer than {ClientConnection.MaxRequestBytes} bytes"));
                DropClient(c);
                return;
            }
            var bigger = new byte[c.Request.Length * 4];
            c.Request.AsSpan(0, c.RequestLength).CopyTo(bigger);
            c.Request = bigger;
        }
        int n = ReadClient(c, c.Request.AsSpan(c.RequestLength));
        if (n <= 0)
        {
            DropClient(c);
            return;
        }
        int start = c.RequestLength;
        c.RequestLength += n;
        int nl = c.Request.AsSpan(start, n).IndexOf((byte)'\n');
        if (nl < 0)
            return;
        int end = start + nl;
        byte[] leftover = c.Request.AsSpan(end + 1, c.RequestLength - end - 1).ToArray();
        MonitorRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(c.Request.AsSpan(0, end), MonitorJson.Default.MonitorRequest);
        }
        catch (JsonException e)
        {
            SendError(c, Berth.Core.BerthException.Invalid($"bad monitor request: {e.Message}"));
            DropClient(c);
            return;
        }
        c.Request = [];
        c.RequestLength = 0;
        HandleRequest(c, request ?? new MonitorRequest(), leftover);
    }

    private static int ReadClient(ClientConnection c, Span<byte> into)
    {
        fixed (byte* p = into)
        {
            while (true)
            {
                nint n = read(c.Fd, p, into.Length);
                if (n >= 0)
                    return (int)n;
                if (LastErrno != EINTR)
                    return -1;
            }
        }
    }

    private void ForwardInput(ClientConnection c, ReadOnlySpan<byte> data)
    {
        var target = c.Target!;
        if (c.Scanner is null)
        {
            target.Stdin?.Write(data);
            return;
        }
        int n = c.Scanner.Scan(data, _scanned, out bool detached);
        target.Stdin?.Write(_scanned.AsSpan(0, n));
        if (detached)
            DropClient(c);
    }

    /// <summary>The client closed its sending side: stdin ends for the process when this client's input is the one that closes it.</summary>
    private void EndInput(ClientConnection c)
    {
        c.InputEnded = true;
        if (c.ClosesStdinOnEnd)
            c.Target?.Stdin?.RequestClose();
    }

    private void DropClient(ClientConnection c)
    {
        if (c.Phase == ConnectionPhase.Attached && !c.InputEnded && c.WantStdin)
            EndInput(c);
        c.Target?.Clients.Remove(c);
        c.Close();
    }

    private static void SendReply(ClientConnection c, MonitorReply reply)
    {
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(reply, MonitorJson.Default.MonitorReply);
        var line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        WriteAll(c.Fd, line, socket: true);
    }

    private static void SendError(ClientConnection c, Berth.Core.BerthException e, int? exitCode = null) =>
        SendReply(c, new MonitorReply { Error = e.Message, Kind = e.Kind, ExitCode = exitCode });
}
