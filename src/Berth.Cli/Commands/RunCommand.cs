using System.Runtime.InteropServices;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Client;
using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker create and docker run: create (pulling if needed), attach before start, start, wait.</summary>
internal static class RunCommand
{
    public static async Task<int> CreateAsync(CommandContext ctx)
    {
        try
        {
            var req = CreateRequestBuilder.Build(ctx.Flags, ctx.Args, detach: false);
            string id = await CreateContainerAsync(ctx, req).ConfigureAwait(false);
            ctx.Out.WriteLine(id);
            return 0;
        }
        catch (EngineApiException e)
        {
            throw new CommandFailedException(CliApp.FailureExit, "berth: Error response from daemon: " + e.Message + $"\n\nRun '{ctx.CommandPath} --help' for more information");
        }
    }

    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        bool detach = f.Bool("detach");
        var (h, w) = RawTerminal.Size(RawTerminal.IsTerminal(1) ? 1 : 0);
        var req = CreateRequestBuilder.Build(f, ctx.Args, detach, h, w);
        if (req.Tty && req.AttachStdin && !RawTerminal.IsTerminal(0))
            throw new CommandFailedException(1, "the input device is not a TTY");
        string id;
        try
        {
            id = await CreateContainerAsync(ctx, req).ConfigureAwait(false);
        }
        catch (EngineApiException e)
        {
            throw new CommandFailedException(CliApp.FailureExit, "berth: Error response from daemon: " + e.Message + $"\n\nRun '{ctx.CommandPath} --help' for more information");
        }
        var client = ctx.Client;
        if (detach)
        {
            try { await client.StartContainerAsync(id).ConfigureAwait(false); }
            catch (EngineApiException e) { throw new CommandFailedException(StartFailureExit(e.Message), "berth: Error response from daemon: " + e.Message); }
            ctx.Out.WriteLine(id);
            return 0;
        }

        bool autoRemove = req.HostConfig?.AutoRemove == true;
        StreamSession? session = null;
        if (req.AttachStdin || req.AttachStdout || req.AttachStderr)
        {
            var stream = await client.AttachContainerAsync(id, req.AttachStdin, req.AttachStdout, req.AttachStderr, detachKeys: f.String("detach-keys")).ConfigureAwait(false);
            session = new StreamSession(stream, req.Tty, req.AttachStdin);
        }
        // The wait is registered before start so a fast exit is not missed; with --rm the daemon answers once the container is gone.
        var waitTask = await client.BeginWaitContainerAsync(id, autoRemove ? "removed" : "next-exit").ConfigureAwait(false);
        using var signals = !req.Tty && f.Bool("sig-proxy") ? SignalProxy.Create(client, id) : null;
        try
        {
            try
            {
                await client.StartContainerAsync(id).ConfigureAwait(false);
            }
            catch (EngineApiException e)
            {
                if (autoRemove) await TryRemoveAsync(client, id).ConfigureAwait(false);
                throw new CommandFailedException(StartFailureExit(e.Message), "berth: Error response from daemon: " + e.Message);
            }
            if (session != null)
            {
                session.SetupTerminal((height, width) => client.ResizeContainerAsync(id, height, width));
                await session.RunAsync(StreamSession.Stdout(ctx), StreamSession.Stderr(ctx), req.AttachStdin ? StreamSession.Stdin() : null).ConfigureAwait(false);
            }
        }
        finally
        {
            session?.Dispose();
        }

        if (session != null && await DetachedAsync(client, id, waitTask).ConfigureAwait(false)) return 0;
        ContainerWaitResponse result;
        try
        {
            result = await waitTask.ConfigureAwait(false);
        }
        catch (EngineApiException e)
        {
            throw new CommandFailedException(CliApp.FailureExit, "berth: Error response from daemon: " + e.Message);
        }
        if (result.Error?.Message is { Length: > 0 } message) throw new CommandFailedException(CliApp.FailureExit, "berth: " + message);
        return (int)result.StatusCode;
    }

    /// <summary>After the attach stream closed: true when the user detached (the container still runs and no exit arrived).</summary>
    internal static async Task<bool> DetachedAsync(EngineClient client, string id, Task waitTask)
    {
        if (await Task.WhenAny(waitTask, Task.Delay(300)).ConfigureAwait(false) == waitTask) return false;
        try
        {
            var state = (await client.InspectContainerAsync(id).ConfigureAwait(false)).State;
            if (state is { Running: true } && !waitTask.IsCompleted) return true;
        }
        catch (EngineApiException) { }
        return false;
    }

    private static async Task<string> CreateContainerAsync(CommandContext ctx, ContainerCreateRequest req)
    {
        var f = ctx.Flags;
        string? cidFile = f.String("cidfile");
        if (cidFile != null && File.Exists(cidFile))
            throw new CommandFailedException(CliApp.FailureExit, $"berth: Container ID file found, make sure the other container isn't running or delete {cidFile}");
        string? pull = f.String("pull");
        if (pull is not ("missing" or "always" or "never"))
            throw new UsageException($"invalid pull option: '{pull}': must be one of \"always\", \"missing\" or \"never\"");
        if (pull == "always") await PullAsync(ctx, req.Image!).ConfigureAwait(false);
        ContainerCreateResponse created;
        try
        {
            created = await ctx.Client.CreateContainerAsync(req, f.String("name"), f.String("platform")).ConfigureAwait(false);
        }
        catch (EngineApiException e) when (e.StatusCode == 404 && e.Message.Contains("image", StringComparison.OrdinalIgnoreCase) && pull == "missing")
        {
            ctx.Err.WriteLine($"Unable to find image '{DisplayReference(req.Image!)}' locally");
            await PullAsync(ctx, req.Image!).ConfigureAwait(false);
            created = await ctx.Client.CreateContainerAsync(req, f.String("name"), f.String("platform")).ConfigureAwait(false);
        }
        foreach (var warning in created.Warnings) ctx.Err.WriteLine("WARNING: " + warning);
        if (cidFile != null) await File.WriteAllTextAsync(cidFile, created.Id).ConfigureAwait(false);
        return created.Id;
    }

    private static async Task PullAsync(CommandContext ctx, string image)
    {
        string display = DisplayReference(image);
        int colon = display.LastIndexOf(':');
        bool hasTag = colon > display.LastIndexOf('/') && !display.Contains('@');
        try
        {
            using var response = await ctx.Client.PullImageAsync(hasTag ? display[..colon] : display, hasTag ? display[(colon + 1)..] : null, ctx.Flags.String("platform"),
                RegistryCommands.RegistryAuthFor(display)).ConfigureAwait(false);
            await ProgressPrinter.PrintAsync(response.Body, ctx.Flags.Bool("quiet") ? TextWriter.Null : ctx.Err, Terminal.RawTerminal.IsTerminal(2)).ConfigureAwait(false);
        }
        catch (EngineApiException e)
        {
            throw new CommandFailedException(CliApp.FailureExit, "berth: Error response from daemon: " + e.Message);
        }
        catch (ProgressException e)
        {
            throw new CommandFailedException(CliApp.FailureExit, "berth: " + e.Message);
        }
    }

    /// <summary>"busybox" → "busybox:latest", as Docker names the image it could not find.</summary>
    internal static string DisplayReference(string image) =>
        ImageReference.TryParse(image, defaultTag: true, out var reference, out _) && reference != null ? reference.FamiliarName : image;

    private static async Task TryRemoveAsync(EngineClient client, string id)
    {
        try { await client.RemoveContainerAsync(id, force: true).ConfigureAwait(false); }
        catch (EngineApiException) { }
    }
    /// <summary>Docker's exit codes for a command that could not be run: 127 not found, 126 not executable, else 125.</summary>
    internal static int StartFailureExit(string message)
    {
        if (message.Contains("executable file not found", StringComparison.Ordinal) || message.Contains("no such file or directory", StringComparison.OrdinalIgnoreCase))
            return 127;
        if (message.Contains("permission denied", StringComparison.OrdinalIgnoreCase) || message.Contains("is a directory", StringComparison.OrdinalIgnoreCase))
            return 126;
        return CliApp.FailureExit;
    }
}

/// <summary>Forwards SIGINT, SIGTERM, SIGQUIT and SIGHUP to the container while the CLI is attached without a TTY (--sig-proxy).</summary>
internal sealed class SignalProxy : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = new();

    public static SignalProxy? Create(EngineClient client, string id)
    {
        if (!OperatingSystem.IsLinux()) return null;
        var proxy = new SignalProxy();
        foreach (var (signal, name) in new[] { (PosixSignal.SIGINT, "SIGINT"), (PosixSignal.SIGTERM, "SIGTERM"), (PosixSignal.SIGQUIT, "SIGQUIT"), (PosixSignal.SIGHUP, "SIGHUP") })
        {
            proxy._registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                _ = Task.Run(async () =>
                {
                    try { await client.KillContainerAsync(id, name).ConfigureAwait(false); }
                    catch (Exception e) when (e is EngineApiException or EngineConnectionException) { }
                });
            }));
        }
        return proxy;
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
    }
}
