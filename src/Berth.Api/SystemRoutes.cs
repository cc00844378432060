using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Core.EngineApi;
using Berth.Engine;
using Berth.Engine.Events;

namespace Berth.Api;

/// <summary>/_ping, /version, /info and /events.</summary>
public static class SystemRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var json = EngineApiJson.Default;
        app.MapMethods("/_ping", ["GET", "HEAD"], async ctx =>
        {
            ctx.Response.Headers.CacheControl = "no-cache, no-store, must-revalidate";
            ctx.Response.Headers.Pragma = "no-cache";
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            if (HttpMethods.IsGet(ctx.Request.Method)) await ctx.Response.WriteAsync("OK");
        });
        app.MapGet("/version", async ctx => await ApiJson.Write(ctx, Version(), json.SystemVersion));
        app.MapGet("/info", async ctx => await ApiJson.Write(ctx, Info(engine), json.SystemInfo));
        app.MapGet("/events", async ctx =>
        {
            var filter = new EventFilter(FilterArgs.Parse(ApiJson.Query(ctx, "filters")));
            long? since = ToNanos(ApiJson.Query(ctx, "since"));
            long? until = ToNanos(ApiJson.Query(ctx, "until"));
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            using var sub = engine.Events.Subscribe(since);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
            long nowNanos = (DateTimeOffset.UtcNow.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
            bool pastOnly = until != null && until <= nowNanos;
            if (until != null && !pastOnly)
                cts.CancelAfter(TimeSpan.FromTicks((until.Value - nowNanos) / 100));
            try
            {
                while (true)
                {
                    EventMessage ev;
                    if (pastOnly)
                    {
                        // Only history was asked for: send what the backlog holds and end.
                        if (!sub.Reader.TryRead(out var past)) break;
                        ev = past;
                    }
                    else
                    {
                        ev = await sub.Reader.ReadAsync(cts.Token);
                    }
                    if (until != null && ev.TimeNano > until) break;
                    if (!filter.Matches(ev)) continue;
                    await JsonSerializer.SerializeAsync(ctx.Response.Body, ev, json.EventMessage, cts.Token);
                    await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), cts.Token);
                    await ctx.Response.Body.FlushAsync(cts.Token);
                }
            }
            catch (OperationCanceledException) { /* until reached or client left */ }
        });
    }

    private static long? ToNanos(string? v)
    {
        if (string.IsNullOrEmpty(v)) return null;
        var t = Engine.Containers.ContainerFilter.ParseUntil(v);
        return (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
    }

    private static SystemVersion Version() => new()
    {
        Platform = new SystemVersionPlatform { Name = "Berth Engine" },
        Version = EngineVersion.Version,
        ApiVersion = ApiVersioning.Max,
        MinAPIVersion = ApiVersioning.Min,
        GitCommit = "",
        GoVersion = "dotnet" + Environment.Version,
        Os = "linux",
        Arch = Arch(),
        KernelVersion = Environment.OSVersion.Version.ToString(),
        BuildTime = "",
        Components = [new SystemVersionComponent { Name = "Engine", Version = EngineVersion.Version }],
    };

    private static string Arch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        _ => RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
    };

    /// <summary>The insecure registries as Docker reports them: loopback and the given ranges as CIDRs, named ones as insecure indexes.</summary>
    private static RegistryServiceConfig RegistryConfig(IReadOnlyCollection<string> entries)
    {
        var insecure = new Distribution.InsecureRegistries(entries);
        var indexes = new Dictionary<string, IndexInfo>(StringComparer.Ordinal)
        {
            ["docker.io"] = new IndexInfo { Name = "docker.io", Mirrors = [], Secure = true, Official = true },
        };
        foreach (var name in insecure.Names) indexes[name] = new IndexInfo { Name = name, Mirrors = [], Secure = false, Official = false };
        return new RegistryServiceConfig
        {
            InsecureRegistryCIDRs = ["::1/128", "127.0.0.0/8", .. insecure.Ranges.Select(r => r.ToString())],
            IndexConfigs = indexes,
            Mirrors = [],
        };
    }

    private static SystemInfo Info(BerthEngine engine)
    {
        var containers = engine.Containers.Store.List();
        string kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        long mem = 0;
        foreach (var line in File.ReadLines("/proc/meminfo"))
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)) { mem = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024; break; }
        string os = "Linux";
        if (File.Exists("/etc/os-release"))
            foreach (var line in File.ReadLines("/etc/os-release"))
                if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal)) os = line[12..].Trim('"');
        return new SystemInfo
        {
            ID = engine.DaemonId,
            Containers = containers.Count,
            ContainersRunning = containers.Count(c => c.State.Status == "running"),
            ContainersPaused = containers.Count(c => c.State.Status == "paused"),
            ContainersStopped = containers.Count(c => !c.State.Running),
            Images = engine.Images.Count,
            Driver = "overlay2",
            DriverStatus = [["Backing Filesystem", "extfs"], ["Supports d_type", "true"]],
            DockerRootDir = engine.Paths.Root,
            MemoryLimit = true,
            SwapLimit = true,
            CpuCfsPeriod = true,
            CpuCfsQuota = true,
            CPUShares = true,
            PidsLimit = true,
            NFd = Directory.GetFiles("/proc/self/fd").Length,
            NGoroutines = System.Diagnostics.Process.GetCurrentProcess().Threads.Count,
            SystemTime = DateTimeOffset.Now.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz"),
            LoggingDriver = "json-file",
            CgroupDriver = "cgroupfs",
            CgroupVersion = engine.CgroupVersion.ToString(),
            KernelVersion = kernel,
            OperatingSystem = os,
            OSVersion = "",
            OSType = "linux",
            Architecture = RuntimeInformation.OSArchitecture == Architecture.X64 ? "x86_64" : Arch(),
            NCPU = Environment.ProcessorCount,
            MemTotal = mem,
            IndexServerAddress = "https://index.docker.io/v1/",
            RegistryConfig = RegistryConfig(engine.Images.InsecureRegistries),
            Name = Environment.MachineName,
            ServerVersion = EngineVersion.Version,
            DefaultRuntime = "berth",
            Runtimes = new() { ["berth"] = new RuntimeInfo { Path = engine.BerthExecutable } },
            SecurityOptions = ["name=seccomp,profile=builtin", "name=no-new-privileges"],
            InitBinary = "berth",
            Labels = [],
        };
    }
}
