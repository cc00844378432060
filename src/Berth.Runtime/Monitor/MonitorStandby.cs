using Berth.Core;
using static Berth.Runtime.Monitor.MonitorSyscalls;

namespace Berth.Runtime.Monitor;

/// <summary>
/// Keeps one monitor started ahead of need (`berth __monitor --standby`), so a container start does not wait for a
/// process to exec and its runtime to come up. The spare blocks on its assign pipe; <see cref="MonitorProcess.SpawnChild"/>
/// writes a state dir into it and from then on the spare is that container's monitor. Closing the pipe (this object
/// disposed, or the daemon gone) makes an unassigned spare exit.
/// </summary>
public sealed class MonitorStandby : IDisposable
{
    private readonly string _berthExecutable;
    private readonly Lock _gate = new();
    private Spare? _spare;
    private bool _preparing;
    private bool _active;
    private bool _disposed;

    public MonitorStandby(string berthExecutable) => _berthExecutable = berthExecutable;

    internal sealed record Spare(int Pid, int AssignFd, int StatusFd);

    /// <summary>Starts a spare in the background unless one is ready or on its way; from the first call on, every take prepares the next.</summary>
    public void Prepare()
    {
        lock (_gate)
        {
            _active = true;
            if (_disposed || _spare != null || _preparing)
                return;
            _preparing = true;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            Spare? made = null;
            try
            {
                made = MonitorProcess.SpawnStandby(_berthExecutable);
            }
            catch (BerthException)
            {
                // No spare: the next start spawns its monitor itself and tries again afterwards.
            }
            lock (_gate)
            {
                _preparing = false;
                if (made != null && !_disposed)
                {
                    _spare = made;
                    made = null;
                }
            }
            if (made != null)
                Close(made);
        }, null);
    }

    /// <summary>The ready spare for <paramref name="berthExecutable"/>, or null; once active, a new one is prepared either way.</summary>
    internal Spare? Take(string berthExecutable)
    {
        Spare? taken = null;
        bool active;
        lock (_gate)
        {
            active = _active;
            if (berthExecutable == _berthExecutable)
            {
                taken = _spare;
                _spare = null;
            }
        }
        if (active)
            Prepare();
        return taken;
    }

    /// <summary>The ready spare's pid, if there is one (for tests and diagnostics).</summary>
    internal int? PeekSparePid()
    {
        lock (_gate)
            return _spare?.Pid;
    }

    internal static void Close(Spare spare)
    {
        close(spare.AssignFd);
        close(spare.StatusFd);
    }

    public void Dispose()
    {
        Spare? spare;
        lock (_gate)
        {
            _disposed = true;
            spare = _spare;
            _spare = null;
        }
        if (spare != null)
            Close(spare);
    }
}
