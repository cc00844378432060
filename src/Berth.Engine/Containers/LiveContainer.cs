namespace Berth.Engine.Containers;

/// <summary>In-memory signals about one container that waiters block on: its next exit and its removal.</summary>
public sealed class LiveContainer
{
    // Its own gate: the container service locks the LiveContainer itself around state changes.
    private readonly Lock _gate = new();
    private TaskCompletionSource<int> _nextExit = NewTcs<int>();
    private TaskCompletionSource<bool> _nextStart = NewTcs<bool>();

    public TaskCompletionSource Removed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the exit code when the current (or next) run ends.</summary>
    public Task<int> NextExit
    {
        get { lock (_gate) return _nextExit.Task; }
    }

    private int _pendingAttaches;
    private TaskCompletionSource _attachesConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Attach requests waiting for the next start; the start then defers the process until they are connected.</summary>
    public int PendingAttaches
    {
        get { lock (_gate) return _pendingAttaches; }
    }

    public void AttachWaiting()
    {
        lock (_gate)
            if (_pendingAttaches++ == 0) _attachesConnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void AttachConnected()
    {
        TaskCompletionSource? done = null;
        lock (_gate)
            if (_pendingAttaches > 0 && --_pendingAttaches == 0) done = _attachesConnected;
        done?.TrySetResult();
    }

    /// <summary>Completes when every attach that was waiting has connected to the monitor.</summary>
    public Task AttachesConnected
    {
        get { lock (_gate) return _pendingAttaches == 0 ? Task.CompletedTask : _attachesConnected.Task; }
    }

    /// <summary>Completes when the container next starts (attach before start waits on it).</summary>
    public Task<bool> NextStart
    {
        get { lock (_gate) return _nextStart.Task; }
    }

    /// <summary>The monitor of a deferred start listens: waiting attaches may connect now.</summary>
    public void MonitorListening()
    {
        TaskCompletionSource<bool> started;
        lock (_gate)
        {
            started = _nextStart;
            _nextStart = NewTcs<bool>();
        }
        started.TrySetResult(true);
    }

    /// <summary>A start failed: attaches waiting for it stop waiting (and end with what the log holds) instead of hanging.</summary>
    public void StartFailed()
    {
        TaskCompletionSource<bool> started;
        lock (_gate)
        {
            started = _nextStart;
            _nextStart = NewTcs<bool>();
        }
        started.TrySetResult(false);
    }

    public void Started()
    {
        TaskCompletionSource<bool> started;
        lock (_gate)
        {
            if (_nextExit.Task.IsCompleted) _nextExit = NewTcs<int>();
            started = _nextStart;
            _nextStart = NewTcs<bool>();
        }
        started.TrySetResult(true);
    }

    public void Exited(int code)
    {
        TaskCompletionSource<int> done;
        lock (_gate)
        {
            done = _nextExit;
            _nextExit = NewTcs<int>();
        }
        done.TrySetResult(code);
    }

    private static TaskCompletionSource<T> NewTcs<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
