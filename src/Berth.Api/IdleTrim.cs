using Berth.Runtime.Native;

namespace Berth.Api;

/// <summary>Gives memory back once the daemon has served no request for a while: a compacting collection that decommits the
/// GC heap's free space, then the binary's and libraries' clean code pages (see <see cref="WorkingSet"/>).</summary>
/// <remarks>
/// The GC sizes its first generation from the CPU cache (tens of MiB here), so a burst of requests leaves that much touched
/// heap behind, and serving it faults in megabytes of code that an idle daemon does not run. Writable mappings are left
/// alone: other threads may write them at any time.
/// </remarks>
public sealed class IdleTrim : IDisposable
{
    /// <summary>How long the daemon must be without requests before it trims.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly Timer _timer;
    private int _active;
    private long _generation;
    private long _trimmedGeneration = -1;

    public IdleTrim()
    {
        _timer = new Timer(_ => OnIdle(), null, Delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Middleware: counts the request as activity; a hijacked stream counts until it closes.</summary>
    public async Task Track(HttpContext context, Func<Task> next)
    {
        Interlocked.Increment(ref _active);
        Interlocked.Increment(ref _generation);
        try
        {
            await next();
        }
        finally
        {
            if (Interlocked.Decrement(ref _active) == 0)
                _timer.Change(Delay, Timeout.InfiniteTimeSpan);
        }
    }

    private void OnIdle()
    {
        long generation = Interlocked.Read(ref _generation);
        if (Volatile.Read(ref _active) != 0 || generation == _trimmedGeneration)
            return;
        _trimmedGeneration = generation;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        WorkingSet.TrimFilePages(includeWritable: false);
    }

    public void Dispose() => _timer.Dispose();
}
