namespace Berth.Engine.Containers;

/// <summary>Applies restart policies (always, unless-stopped, on-failure[:N]) and auto-remove when containers exit.</summary>
public sealed class RestartSupervisor
{
    private readonly ContainerService _containers;

    public RestartSupervisor(ContainerService containers)
    {
        _containers = containers;
        containers.ContainerExited += OnExited;
    }

    /// <summary>On daemon start: containers with always (and unless-stopped not stopped by the user) come back.</summary>
    public void StartOnBoot()
    {
        foreach (var rec in _containers.Store.List())
        {
            if (rec.State.Running || !rec.HasBeenStarted) continue;
            string policy = rec.HostConfig.RestartPolicy?.Name ?? "no";
            bool start = policy == "always" || (policy == "unless-stopped" && !rec.ManuallyStopped);
            if (!start) continue;
            try { _containers.Start(rec.Id, userRequested: false); }
            catch (Exception) { /* reported in the container's state */ }
        }
    }

    private void OnExited(ContainerRecord rec)
    {
        if (rec.HostConfig.AutoRemove)
        {
            _ = Task.Run(() =>
            {
                try { _containers.Remove(rec.Id, force: true, removeVolumes: true); }
                catch (Exception) { /* already removed */ }
            });
            return;
        }
        var policy = rec.HostConfig.RestartPolicy ?? new();
        bool restart = !rec.ManuallyStopped && policy.Name switch
        {
            "always" or "unless-stopped" => true,
            "on-failure" => rec.State.ExitCode != 0 && (policy.MaximumRetryCount == 0 || rec.RestartCount < policy.MaximumRetryCount),
            _ => false,
        };
        if (!restart) return;
        // Back off like Docker: 100 ms doubling, reset after 10 s of running.
        bool ranLong = rec.State.FinishedAt - rec.State.StartedAt > TimeSpan.FromSeconds(10);
        int delayMs = ranLong ? 100 : (int)Math.Min(60_000, 100 * Math.Pow(2, Math.Min(rec.RestartCount, 10)));
        _ = Task.Run(async () =>
        {
            await Task.Delay(delayMs);
            if (rec.ManuallyStopped || _containers.Store.TryResolve(rec.Id) == null) return;
            rec.RestartCount++;
            try { _containers.Start(rec.Id, userRequested: false); }
            catch (Exception) { /* the failure is recorded in the container's state */ }
        });
    }
}
