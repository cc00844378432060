namespace Berth.Engine.Containers;

/// <summary>In-memory signals about one container that waiters block on: its next exit and its removal.</summary>
public sealed class LiveContainer
{
    private TaskCompletionSource<int> _nextExit = NewTcs<int>();
    private TaskCompletionSource<bool> _nextStart = NewTcs<bool>();

    public TaskCompletionSource Removed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the exit code when the current (or next) run ends.</summary>
    public Task<int> NextExit
    {
        get { lock (this) return _nextExit.Task; }
    }

    /// <summary>Completes when the container next starts (attach before start waits on it).</summary>
    public Task<bool> NextStart
    {
        get { lock (this) return _nextStart.Task; }
    }

    public void Started()
    {
        TaskCompletionSource<bool> started;
        lock (this)
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
        lock (this)
        {
            done = _nextExit;
            _nextExit = NewTcs<int>();
        }
        done.TrySetResult(code);
    }

    private static TaskCompletionSource<T> NewTcs<T>() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
