namespace Berth.Cli.Terminal;

/// <summary>
/// A write-only stream over the process's stdout or stderr made of plain write(2) calls. The console streams of .NET
/// switch a terminal into keypad-transmit mode on their first write and never switch it back, which leaves the user's
/// shell with application cursor keys after every berth command; docker writes bytes and nothing else.
/// </summary>
public sealed unsafe class StdioStream(int fd) : Output.WriteOnlyStream
{
    private const int EINTR = 4, EAGAIN = 11, EPIPE = 32;
    private bool _readerGone;

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length && !_readerGone)
            {
                nint n = Libc.write(fd, start + done, buffer.Length - done);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == EAGAIN) Thread.Sleep(1); // a terminal another program left non-blocking
                // As the console streams do: output to a closed pipe (berth ps | head) is dropped, not an error.
                else if (errno == EPIPE) _readerGone = true;
                else throw new IOException($"write to fd {fd}: errno {errno}");
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Flush() { }
}
