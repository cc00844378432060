using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Berth.Cli.Output;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>Moves bytes between the local terminal and a hijacked attach/exec stream: stdin in, stdout/stderr out (demultiplexed without a TTY).</summary>
internal sealed class StreamSession : IDisposable
{
    private readonly HijackedStream _stream;
    private readonly bool _tty;
    private readonly bool _sendStdin;
    private RawTerminal? _raw;
    private PosixSignalRegistration? _winch;

    public StreamSession(HijackedStream stream, bool tty, bool sendStdin)
    {
        _stream = stream;
        _tty = tty;
        _sendStdin = sendStdin;
    }

    /// <summary>Puts the local terminal in raw mode (when -t and stdin is a terminal) and resizes the remote TTY now and on every SIGWINCH.</summary>
    public void SetupTerminal(Func<int, int, Task> resize)
    {
        if (!_tty) return;
        if (_sendStdin) _raw = RawTerminal.Enable(0);
        int fd = RawTerminal.IsTerminal(1) ? 1 : 0;
        async Task Resize()
        {
            var (h, w) = RawTerminal.Size(fd);
            if (h <= 0 || w <= 0) return;
            try { await resize(h, w).ConfigureAwait(false); }
            catch (EngineApiException) { }
            catch (EngineConnectionException) { }
        }
        _ = Resize();
        if (!OperatingSystem.IsLinux()) return;
        _winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, ctx =>
        {
            ctx.Cancel = true;
            _ = Resize();
        });
    }

    /// <summary>Copies until the container's output ends.</summary>
    public async Task RunAsync(Stream stdout, Stream stderr, Stream? stdin)
    {
        if (_sendStdin && stdin != null)
        {
            // A blocking stdin read must not hold up the end of the session, so the pump is not awaited.
            _ = Task.Run(async () =>
            {
                try
                {
                    await stdin.CopyToAsync(_stream).ConfigureAwait(false);
                    _stream.CloseWrite();
                }
                catch (IOException) { }
                catch (ObjectDisposedException) { }
            });
        }
        try
        {
            if (_tty || _stream.ContentType == "application/vnd.docker.raw-stream")
            {
                var buffer = new byte[32 * 1024];
                int n;
                while ((n = await _stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    await stdout.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
                    await stdout.FlushAsync().ConfigureAwait(false);
                }
            }
            else
            {
                await StreamDemultiplexer.CopyAsync(_stream, stdout, stderr).ConfigureAwait(false);
            }
        }
        catch (IOException) { }
        catch (EngineConnectionException) { }
    }

    public void Dispose()
    {
        _winch?.Dispose();
        _raw?.Dispose();
        _stream.Dispose();
    }

    public static Stream Stdout(CommandContext ctx) => TextWriterStream.For(ctx.Out);

    /// <summary>
    /// The process's stdin as plain read(2) calls. Console.OpenStandardInput on a terminal edits and echoes lines itself,
    /// which under -t doubles the remote echo, holds keys back until Enter and swallows the detach keys.
    /// </summary>
    public static Stream Stdin() => new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);

    public static Stream Stderr(CommandContext ctx) => TextWriterStream.For(ctx.Err);
}
