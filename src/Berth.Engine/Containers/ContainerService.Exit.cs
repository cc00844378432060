using Berth.Core;
using Berth.Runtime.Monitor;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    /// <summary>Raised after a container's exit is recorded; the restart supervisor and auto-remove hang off it.</summary>
    public event Action<ContainerRecord>? ContainerExited;

    private async Task WatchExitAsync(ContainerRecord rec, LiveContainer live)
    {
        ExitRecord exit;
        try
        {
            exit = await new MonitorClient(StateDir(rec.Id)).WaitAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            exit = ReadExitRecord(rec.Id) ?? new ExitRecord { ExitCode = 255, Error = "container monitor ended unexpectedly: " + e.Message, FinishedAt = DateTimeOffset.UtcNow };
        }
        OnExited(rec, live, exit);
    }

    private ExitRecord? ReadExitRecord(string id)
    {
        try { return MonitorFiles.ReadExit(StateDir(id)); }
        catch (Exception) { return null; }
    }

    private void OnExited(ContainerRecord rec, LiveContainer live, ExitRecord exit)
    {
        lock (live)
        {
            if (rec.State.Status != "running") return;
            bool oom = exit.OOMKilled;
            try { oom |= _cgroups.OomKilled(CgroupPath(rec.Id)); } catch (Exception) { /* cgroup already gone */ }
            rec.State = new ContainerRunState
            {
                Status = "exited",
                ExitCode = exit.ExitCode,
                Error = exit.Error ?? "",
                OOMKilled = oom,
                StartedAt = rec.State.StartedAt,
                FinishedAt = exit.FinishedAt == default ? DateTimeOffset.UtcNow : exit.FinishedAt,
            };
            TryRemoveCgroup(CgroupPath(rec.Id));
            _networks.Detach(rec);
            Store.Save(rec);
        }
        if (rec.State.OOMKilled) Emit(rec, "oom");
        Emit(rec, "die", new() { ["exitCode"] = rec.State.ExitCode.ToString() });
        live.Exited(rec.State.ExitCode);
        ContainerExited?.Invoke(rec);
    }

    /// <summary>After a daemon restart: re-adopts containers whose monitor still runs and records the exit of the others.</summary>
    public void Reconcile()
    {
        foreach (var rec in Store.List())
        {
            if (rec.State.Status is "removing")
            {
                try { Remove(rec.Id, force: true, removeVolumes: false); } catch (Exception) { /* retried next start */ }
                continue;
            }
            if (!rec.State.Running) continue;
            var live = Live(rec.Id);
            bool monitorAlive = rec.State.MonitorPid > 0 && ProcessAlive(rec.State.MonitorPid) && File.Exists(Path.Combine(StateDir(rec.Id), "monitor.sock"));
            if (monitorAlive)
            {
                _networks.Readopt(rec);
                live.Started();
                _ = WatchExitAsync(rec, live);
            }
            else
            {
                var exit = ReadExitRecord(rec.Id) ?? new ExitRecord { ExitCode = 255, Error = "container monitor was gone when the daemon started", FinishedAt = DateTimeOffset.UtcNow };
                OnExited(rec, live, exit);
            }
        }
        try { _networks.Refresh(); }
        catch (BerthException e) { Console.Error.WriteLine($"berth: firewall rules could not be restored: {e.Message}"); }
    }

    private static bool ProcessAlive(int pid)
    {
        if (pid <= 0) return false;
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return true; }
    }
}
