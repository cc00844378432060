using System.Text;
using System.Text.Json;
using Berth.Runtime.Logging;
using Berth.Runtime.Monitor;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

/// <summary>A monitor with the host starter on its own temp state dir; disposing kills the container and the monitor and removes the dir.</summary>
internal sealed class MonitorTestContainer : IDisposable
{
    private MonitorTestContainer(string stateDir, MonitorConfig config)
    {
        StateDir = stateDir;
        Config = config;
        Client = new MonitorClient(stateDir);
    }

    public string StateDir { get; }
    public MonitorConfig Config { get; }
    public MonitorClient Client { get; }
    public MonitorStartResult? Started { get; private set; }
    public string LogPath => Config.LogPath;

    /// <summary>Writes spec.json and monitor.json for <paramref name="args"/>; call <see cref="Spawn"/> to start.</summary>
    public static MonitorTestContainer Create(string[] args, Action<MonitorConfig>? configure = null, Action<ContainerSpec>? adjustSpec = null)
    {
        // Short paths: the socket path must fit in sun_path.
        string dir = Directory.CreateTempSubdirectory("berth-mon-").FullName;
        var config = new MonitorConfig
        {
            ContainerId = "c" + System.IO.Path.GetFileName(dir),
            LogPath = System.IO.Path.Combine(dir, "ctr-json.log"),
            Starter = "host",
        };
        configure?.Invoke(config);
        var spec = new ContainerSpec
        {
            Id = config.ContainerId,
            Process = new ProcessSpec { Args = args.ToList(), Env = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/"], Cwd = dir },
        };
        adjustSpec?.Invoke(spec);
        File.WriteAllBytes(System.IO.Path.Combine(dir, "spec.json"), JsonSerializer.SerializeToUtf8Bytes(spec, RuntimeJson.Default.ContainerSpec));
        File.WriteAllBytes(System.IO.Path.Combine(dir, MonitorConfig.FileName), JsonSerializer.SerializeToUtf8Bytes(config, MonitorJson.Default.MonitorConfig));
        return new MonitorTestContainer(dir, config);
    }

    public static MonitorTestContainer Start(string[] args, Action<MonitorConfig>? configure = null, Action<ContainerSpec>? adjustSpec = null)
    {
        var c = Create(args, configure, adjustSpec);
        try
        {
            c.Spawn();
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    public MonitorStartResult Spawn() => Started = MonitorProcess.Spawn(MonitorHostBinary.Path, StateDir);

    public static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    /// <summary>Reads multiplexed frames until the stream ends.</summary>
    public static async Task<(string Stdout, string Stderr)> ReadFramesToEnd(Stream stream)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        while (await MultiplexedFrame.ReadFrameAsync(stream, Guard()) is { } frame)
            (frame.Stream == 2 ? stderr : stdout).Append(Encoding.UTF8.GetString(frame.Payload));
        return (stdout.ToString(), stderr.ToString());
    }

    /// <summary>Reads raw bytes until <paramref name="until"/> appears in what was read so far (or the stream ends).</summary>
    public static async Task<string> ReadRawUntil(Stream stream, string until)
    {
        var text = new StringBuilder();
        var buf = new byte[4096];
        var ct = Guard();
        while (!text.ToString().Contains(until))
        {
            int n = await stream.ReadAsync(buf, ct);
            if (n == 0)
                break;
            text.Append(Encoding.UTF8.GetString(buf, 0, n));
        }
        return text.ToString();
    }

    public static bool ProcessGone(int pid)
    {
        try
        {
            // Gone, or a zombie waiting for its new parent to reap it.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    public static async Task WaitUntil(Func<bool> condition)
    {
        for (int i = 0; i < 600 && !condition(); i++)
            await Task.Delay(50);
        Assert.True(condition());
    }

    public void Dispose()
    {
        // When Spawn failed half-way the monitor may still have written its pids.
        var state = Started is null ? MonitorFiles.ReadState(StateDir) : null;
        int containerPid = Started?.ContainerPid ?? state?.Pid ?? 0;
        int monitorPid = Started?.MonitorPid ?? state?.MonitorPid ?? 0;
        Kill(containerPid);
        Kill(monitorPid);
        if (monitorPid > 0)
        {
            for (int i = 0; i < 100 && !ProcessGone(monitorPid); i++)
                Thread.Sleep(20);
        }
        try
        {
            Directory.Delete(StateDir, true);
        }
        catch (IOException)
        {
            // A monitor still finishing may write exit.json while we delete; one retry after it is gone.
            Thread.Sleep(200);
            Directory.Delete(StateDir, true);
        }
    }

    private static void Kill(int pid)
    {
        if (pid > 0 && !ProcessGone(pid))
            MonitorPosix.kill(pid, 9);
    }
}
