using Berth.Core;
using Berth.Runtime.Logging;
using Berth.Runtime.Monitor;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Copies the container's log to <paramref name="output"/>; multiplexed unless the container has a tty.</summary>
    public async Task LogsAsync(string idOrName, LogReadOptions options, Stream output, CancellationToken ct)
    {
        var rec = Store.Resolve(idOrName);
        if (!File.Exists(rec.LogPath) && !options.Follow) return;
        await JsonFileLogReader.ReadAsync(rec.LogPath, options, output, multiplexed: !rec.Config.Tty, () => rec.State.Running, ct);
    }

    /// <summary>True when the container was created with a tty (its streams are raw, not multiplexed).</summary>
    public bool HasTty(string idOrName) => Store.Resolve(idOrName).Config.Tty;

    /// <summary>
    /// Opens an attach stream through the container's monitor. A container that is not running yet is waited for
    /// (docker run attaches before it starts); output written before the attach connects is replayed from the log, and
    /// if the container has already ended by then, its log of this run is the stream.
    /// </summary>
    /// <remarks>
    /// The attach is counted before this returns its task: the API answers the upgrade only after that, so the start a
    /// client sends once it has its stream always sees the attach and defers the process until it has connected.
    /// </remarks>
    public Task<Stream> AttachAsync(string idOrName, bool stdin, bool stdout, bool stderr, string? detachKeys, CancellationToken ct)
    {
        var rec = Store.Resolve(idOrName);
        var live = Live(rec.Id);
        Task<bool> started;
        bool waiting;
        lock (live)
        {
            waiting = !rec.State.Running;
            if (waiting) live.AttachWaiting();
            started = waiting ? live.NextStart : Task.FromResult(true);
        }
        return ConnectAttachAsync(rec, live, waiting, started, stdin, stdout, stderr, detachKeys, ct);
    }

    private async Task<Stream> ConnectAttachAsync(ContainerRecord rec, LiveContainer live, bool waiting, Task<bool> started,
        bool stdin, bool stdout, bool stderr, string? detachKeys, CancellationToken ct)
    {
        bool replay = false;
        try
        {
            await started.WaitAsync(ct);
            Emit(rec, "attach");
            // A deferred start waits for us, so nothing is missed; otherwise replay what the run wrote so far.
            replay = waiting && rec.State.Running;
            return await new MonitorClient(StateDir(rec.Id)).AttachAsync(stdin && rec.Config.OpenStdin, stdout, stderr, detachKeys, logs: replay, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException && waiting)
        {
            // The run ended before we could attach: its whole output is in the log.
            var buffer = new MemoryStream();
            await JsonFileLogReader.ReadAsync(rec.LogPath, new LogReadOptions { Stdout = stdout, Stderr = stderr, Since = rec.State.StartedAt.AddTicks(-1) },
                buffer, multiplexed: !rec.Config.Tty, () => false, ct);
            buffer.Position = 0;
            return buffer;
        }
        finally
        {
            if (waiting) live.AttachConnected();
        }
    }

    public async Task ResizeAsync(string idOrName, int height, int width, CancellationToken ct)
    {
        var rec = Store.Resolve(idOrName);
        if (!rec.State.Running) throw BerthException.Conflict($"Container {rec.Id} is not running");
        if (height < 0 || width < 0) throw BerthException.Invalid($"invalid terminal size {height}x{width}");
        await new MonitorClient(StateDir(rec.Id)).ResizeAsync((ushort)height, (ushort)width, null, ct);
    }
}
