using Berth.Core;
using Berth.Runtime;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Stops a running container: its stop signal, then SIGKILL after the timeout. False when not running (HTTP 304).</summary>
    public async Task<bool> StopAsync(string idOrName, int? timeoutSeconds, string? signal, CancellationToken ct = default)
    {
        var rec = Store.Resolve(idOrName);
        var live = Live(rec.Id);
        Task<int> exited;
        lock (live)
        {
            if (!rec.State.Running) return false;
            rec.ManuallyStopped = true;
            Store.Save(rec);
            exited = live.NextExit;
        }
        int sig = ContainerSignals.Parse(signal ?? rec.Config.StopSignal ?? "SIGTERM");
        int timeout = timeoutSeconds ?? rec.Config.StopTimeout ?? 10;
        Signal(rec, sig);
        if (timeout < 0)
        {
            await exited.WaitAsync(ct);
        }
        else if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(timeout), ct)) != exited)
        {
            Signal(rec, 9);
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30), ct)) != exited)
                throw BerthException.Internal($"container {rec.Id} did not exit 30 seconds after SIGKILL");
        }
        Emit(rec, "stop");
        return true;
    }

    /// <summary>Sends a signal to a running container's main process.</summary>
    public void Kill(string idOrName, string? signal)
    {
        var rec = Store.Resolve(idOrName);
        int sig = ContainerSignals.Parse(string.IsNullOrEmpty(signal) ? "SIGKILL" : signal);
        lock (Live(rec.Id))
        {
            if (!rec.State.Running) throw BerthException.Conflict($"cannot kill container: {rec.Id}: container {rec.Id} is not running");
            if (sig == 9) { rec.ManuallyStopped = true; Store.Save(rec); }
        }
        Signal(rec, sig);
    }

    private void Signal(ContainerRecord rec, int sig)
    {
        Emit(rec, "kill", new() { ["signal"] = sig.ToString() });
        if (rec.State.Pid > 0) ContainerSignals.Send(rec.State.Pid, sig);
        if (sig == 9)
        {
            try { _cgroups.KillAll(CgroupPath(rec.Id), 9); } catch (Exception) { /* the cgroup may already be gone */ }
        }
    }

    public async Task RestartAsync(string idOrName, int? timeoutSeconds, string? signal, CancellationToken ct = default)
    {
        var rec = Store.Resolve(idOrName);
        await StopAsync(rec.Id, timeoutSeconds, signal, ct);
        Start(rec.Id);
        Emit(rec, "restart");
    }

    /// <summary>Waits for a container per Docker's conditions: not-running (default), next-exit, removed.</summary>
    public async Task<int> WaitAsync(string idOrName, string? condition, CancellationToken ct)
    {
        var rec = Store.Resolve(idOrName);
        var live = Live(rec.Id);
        Task<int> next;
        lock (live)
        {
            switch (condition ?? "not-running")
            {
                case "" or "not-running":
                    if (!rec.State.Running) return rec.State.ExitCode;
                    next = live.NextExit;
                    break;
                case "next-exit":
                    next = live.NextExit;
                    break;
                case "removed":
                    next = live.Removed.Task.ContinueWith(_ => rec.State.ExitCode, TaskScheduler.Default);
                    break;
                default:
                    throw BerthException.Invalid($"invalid condition: \"{condition}\"");
            }
        }
        return await next.WaitAsync(ct);
    }
}
