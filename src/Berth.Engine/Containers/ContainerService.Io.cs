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

    /// <summary>Opens an attach stream to a running container through its monitor.</summary>
    public async Task<Stream> AttachAsync(string idOrName, bool stdin, bool stdout, bool stderr, string? detachKeys, CancellationToken ct)
    {
        var rec = Store.Resolve(idOrName);
        if (!rec.State.Running) throw BerthException.Conflict($"You cannot attach to a stopped container, start it first");
        Emit(rec, "attach");
        return await new MonitorClient(StateDir(rec.Id)).AttachAsync(stdin && rec.Config.OpenStdin, stdout, stderr, detachKeys, logs: false, ct);
    }

    public async Task ResizeAsync(string idOrName, int height, int width, CancellationToken ct)
    {
        var rec = Store.Resolve(idOrName);
        if (!rec.State.Running) throw BerthException.Conflict($"Container {rec.Id} is not running");
        if (height < 0 || width < 0) throw BerthException.Invalid($"invalid terminal size {height}x{width}");
        await new MonitorClient(StateDir(rec.Id)).ResizeAsync((ushort)height, (ushort)width, null, ct);
    }
}
