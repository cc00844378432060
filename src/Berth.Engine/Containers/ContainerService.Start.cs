using System.Text.Json;
using Berth.Core;
using Berth.Runtime.Monitor;
using Berth.Runtime.Spec;

namespace Berth.Engine.Containers;

public sealed partial class ContainerService
{
    private readonly Dictionary<string, LiveContainer> _live = new();
    private readonly Lock _liveLock = new();

    private LiveContainer Live(string id)
    {
        lock (_liveLock)
        {
            if (!_live.TryGetValue(id, out var l)) _live[id] = l = new LiveContainer();
            return l;
        }
    }

    /// <summary>Starts a created or exited container. Returns false when it is already running (HTTP 304).</summary>
    public bool Start(string idOrName, bool userRequested = true)
    {
        var rec = Store.Resolve(idOrName);
        var live = Live(rec.Id);
        lock (live)
        {
            if (rec.State.Status == "removing") throw BerthException.Precondition($"container {rec.Id} is marked for removal and cannot be started");
            if (rec.State.Running) return false;
            if (userRequested) rec.ManuallyStopped = false;
            try
            {
                StartLocked(rec, live);
            }
            catch
            {
                live.StartFailed();
                throw;
            }
        }
        return true;
    }

    private void StartLocked(ContainerRecord rec, LiveContainer live)
    {
        string? netns = null;
        string net = rec.HostConfig.NetworkMode ?? "";
        if (net.StartsWith("container:", StringComparison.Ordinal))
        {
            var other = Store.Resolve(net["container:".Length..]);
            if (!other.State.Running) throw BerthException.Precondition($"cannot join network of a non running container: {other.Id}");
            netns = $"/proc/{other.State.Pid}/ns/net";
        }
        else if (rec.Networks.Count > 0)
        {
            try
            {
                netns = _networks.Attach(rec);
                WriteEtcFiles(rec);
            }
            catch (Exception e) when (e is BerthException or IOException)
            {
                _networks.Detach(rec);
                RecordStartFailure(rec, 125, e.Message);
                throw;
            }
        }
        try
        {
            Launch(rec, live, netns);
        }
        catch
        {
            _networks.Detach(rec);
            Store.Save(rec);
            throw;
        }
    }

    private void Launch(ContainerRecord rec, LiveContainer live, string? netns)
    {
        var image = _images.Resolve(rec.ImageId);
        var rw = _snapshots.GetRw(rec.RwLayerKey);
        var rootfs = new LayeredRootfs(new[] { rw.UpperDir }.Concat(rw.LowerDirs).ToList());
        ContainerSpec spec;
        try
        {
            spec = SpecBuilder.Build(rec, image.Config, rootfs, rw.UpperDir, rw.WorkDir, rw.LowerDirs, netns, CgroupPath(rec.Id), RuntimeMounts(rec));
        }
        catch (BerthException e)
        {
            RecordStartFailure(rec, 125, e.Message);
            throw;
        }

        string stateDir = StateDir(rec.Id);
        if (Directory.Exists(stateDir)) Directory.Delete(stateDir, true);
        Directory.CreateDirectory(stateDir);
        File.WriteAllText(Path.Combine(stateDir, "spec.json"), JsonSerializer.Serialize(spec, RuntimeJson.Default.ContainerSpec));
        var logOpts = rec.HostConfig.LogConfig?.Config ?? new();
        var monitorConfig = new MonitorConfig
        {
            ContainerId = rec.Id,
            LogPath = rec.LogPath,
            LogMaxSizeBytes = logOpts.TryGetValue("max-size", out var ms) ? ByteSize.Parse(ms, "log-opt max-size") : 10 * 1024 * 1024,
            LogMaxFiles = logOpts.TryGetValue("max-file", out var mf) && int.TryParse(mf, out var n) && n > 0 ? n : 3,
            Tty = rec.Config.Tty,
            OpenStdin = rec.Config.OpenStdin,
            StdinOnce = rec.Config.StdinOnce,
            ConsoleHeight = rec.HostConfig.ConsoleSize is { Count: 2 } cs ? (ushort)cs[0] : (ushort)0,
            ConsoleWidth = rec.HostConfig.ConsoleSize is { Count: 2 } cs2 ? (ushort)cs2[1] : (ushort)0,
            // docker run attaches before it starts: let those attaches connect before the process runs.
            DeferStart = live.PendingAttaches > 0,
        };
        MonitorFiles.Write(Path.Combine(stateDir, MonitorConfig.FileName), monitorConfig, MonitorJson.Default.MonitorConfig);

        // Taken before the spawn: the log's first lines may be written before Spawn returns, and attach replays from here.
        var startedAt = DateTimeOffset.UtcNow;
        MonitorStartResult started;
        try
        {
            started = MonitorProcess.SpawnChild(_berthExecutable, stateDir, Standby);
            if (monitorConfig.DeferStart)
            {
                var connected = live.AttachesConnected;
                live.MonitorListening();
                connected.Wait(TimeSpan.FromSeconds(5));
                int pid = new MonitorClient(stateDir).StartAsync().GetAwaiter().GetResult();
                started = new MonitorStartResult(started.MonitorPid, pid);
            }
        }
        catch (BerthException e)
        {
            int code = e is Runtime.ContainerStartException cse ? cse.ExitCode : 125;
            RecordStartFailure(rec, code, e.Message);
            TryRemoveCgroup(spec.Cgroup.Path);
            throw;
        }
        rec.State = new ContainerRunState
        {
            Status = "running",
            Pid = started.ContainerPid,
            MonitorPid = started.MonitorPid,
            StartedAt = startedAt,
            FinishedAt = rec.State.FinishedAt,
        };
        rec.HasBeenStarted = true;
        Store.Save(rec);
        live.Started();
        Emit(rec, "start");
        _ = WatchExitAsync(rec, live);
    }

    private void RecordStartFailure(ContainerRecord rec, int code, string message)
    {
        rec.State.ExitCode = code;
        rec.State.Error = message;
        if (rec.State.Status != "exited") rec.State.Status = rec.HasBeenStarted ? "exited" : "created";
        Store.Save(rec);
    }

    private void TryRemoveCgroup(string path)
    {
        try { _cgroups.Remove(path); } catch (Exception) { /* best effort: nothing was placed in it */ }
    }
}
