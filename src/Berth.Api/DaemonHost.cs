using Berth.Core;
using Berth.Engine;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Berth.Api;

/// <summary>Runs the Berth daemon: the Docker Engine API on a unix socket.</summary>
public static class DaemonHost
{
    public static int Run(string[] args)
    {
        DaemonOptions opts;
        try
        {
            opts = DaemonOptions.Parse(args);
        }
        catch (BerthException e)
        {
            Console.Error.WriteLine("berth daemon: " + e.Message);
            return 125;
        }
        if (opts.Help)
        {
            Console.WriteLine(DaemonOptions.Usage);
            return 0;
        }
        try
        {
            return RunAsync(opts).GetAwaiter().GetResult();
        }
        catch (BerthException e)
        {
            DaemonLog.Error(e.Message);
            return 1;
        }
    }

    private static async Task<int> RunAsync(DaemonOptions opts)
    {
        DaemonLog.Debug = opts.Debug;
        var paths = new BerthPaths(opts.Root, opts.RunDir);
        Directory.CreateDirectory(paths.RunDir);
        string socket = opts.Socket ?? paths.Socket;
        using var pidLock = PidFile.Acquire(Path.Combine(paths.RunDir, "berth.pid"));
        if (File.Exists(socket)) File.Delete(socket);

        // BERTH_RUNTIME_BINARY lets a development daemon hand monitors and inits to a NativeAOT build.
        string exe = Environment.GetEnvironmentVariable("BERTH_RUNTIME_BINARY") is { Length: > 0 } rt ? rt
            : Environment.ProcessPath ?? throw BerthException.Internal("cannot find the berth executable path");
        using var engine = new BerthEngine(paths, exe, opts.CgroupParent, opts.Network);
        // Bridges, DNS listeners and the firewall table are ready before the first request can start a container.
        engine.Networks.Initialize();
        engine.Images.InsecureRegistries = opts.InsecureRegistries;
        engine.Images.RegistryCertsDir = opts.RegistryCertsDir;

        // The empty builder reads no appsettings files and starts no watcher on them (the slim one watches the working
        // directory for changes); Kestrel and routing are all the daemon uses.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseKestrelCore();
        builder.Services.AddRoutingCore();
        // Docker clients half-close hijacked connections; Kestrel's socket transport would then drop the output side.
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, UnixTransportFactory>();
        if (opts.Debug) builder.Logging.AddSimpleConsole();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.ListenUnixSocket(socket, l =>
            {
                l.Protocols = HttpProtocols.Http1;
            });
            k.Limits.MaxRequestBodySize = null;
            k.Limits.MinRequestBodyDataRate = null;
            k.Limits.MinResponseDataRate = null;
            k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            k.AddServerHeader = false;
            k.AllowSynchronousIO = true; // tar writers are synchronous; they run on request threads
        });
        var app = builder.Build();
        using var idleTrim = new IdleTrim();
        app.Use(idleTrim.Track);
        app.Use(ErrorMapping.Handle);
        app.Use(ApiVersioning.Handle);
        app.UseRouting(); // after the version prefix is stripped
        SystemRoutes.Map(app, engine);
        ContainerRoutes.Map(app, engine);
        ExecRoutes.Map(app, engine);
        ImageRoutes.Map(app, engine);
        DistributionRoutes.Map(app, engine);
        VolumeRoutes.Map(app, engine);
        NetworkRoutes.Map(app, engine);
        BuildRoutes.Map(app, engine);
        app.MapFallback(ctx => throw BerthException.NotFound($"page not found: {ctx.Request.Method} {ctx.Request.Path}"));

        await app.StartAsync();
        File.SetUnixFileMode(socket, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        DaemonLog.Info($"Berth {EngineVersion.Version} listening on unix://{socket} (root {paths.Root})");
        engine.Recover();

        var stop = new TaskCompletionSource();
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var intr = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        DaemonLog.Info("shutting down; containers keep running under their monitors");
        using (var stopCts = new CancellationTokenSource(TimeSpan.FromSeconds(5))) await app.StopAsync(stopCts.Token);
        try { File.Delete(socket); } catch (IOException) { /* already gone */ }
        return 0;
    }
}
