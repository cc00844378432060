using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>start, stop, restart, kill, rm, pause, unpause, wait, rename: one call per container, errors collected as docker does.</summary>
internal static class LifecycleCommands
{
    public static async Task<int> StartAsync(CommandContext ctx)
    {
        bool attach = ctx.Flags.Bool("attach"), interactive = ctx.Flags.Bool("interactive");
        if (attach || interactive)
        {
            if (ctx.Args.Count > 1) throw new CommandFailedException(1, "you cannot start and attach multiple containers at once");
            return await StartAttachedAsync(ctx, ctx.Args[0], interactive).ConfigureAwait(false);
        }
        return await ForEachAsync(ctx, (c, id) => c.StartContainerAsync(id, ctx.Flags.String("detach-keys")), "failed to start containers: ").ConfigureAwait(false);
    }

    private static async Task<int> StartAttachedAsync(CommandContext ctx, string name, bool interactive)
    {
        var client = ctx.Client;
        var info = await client.InspectContainerAsync(name).ConfigureAwait(false);
        var config = info.Config;
        bool tty = config?.Tty == true;
        bool stdin = interactive && config?.OpenStdin == true;
        if (tty && stdin && !Terminal.RawTerminal.IsTerminal(0)) throw new CommandFailedException(1, "the input device is not a TTY");
        var stream = await client.AttachContainerAsync(info.Id, stdin, true, true, detachKeys: ctx.Flags.String("detach-keys")).ConfigureAwait(false);
        var waitTask = await client.BeginWaitContainerAsync(info.Id, "next-exit").ConfigureAwait(false);
        using (var session = new StreamSession(stream, tty, stdin))
        {
            try
            {
                await client.StartContainerAsync(info.Id).ConfigureAwait(false);
            }
            catch (EngineApiException e)
            {
                throw new CommandFailedException(1, "Error response from daemon: " + e.Message);
            }
            session.SetupTerminal((h, w) => client.ResizeContainerAsync(info.Id, h, w));
            await session.RunAsync(StreamSession.Stdout(ctx), StreamSession.Stderr(ctx), stdin ? StreamSession.Stdin() : null).ConfigureAwait(false);
        }
        if (await RunCommand.DetachedAsync(client, info.Id, waitTask).ConfigureAwait(false)) return 0;
        var result = await waitTask.ConfigureAwait(false);
        return (int)result.StatusCode;
    }

    public static Task<int> StopAsync(CommandContext ctx)
    {
        int? time = ctx.Flags.Changed("timeout") ? ctx.Flags.Int("timeout") : ctx.Flags.Int("time");
        return ForEachAsync(ctx, (c, id) => c.StopContainerAsync(id, time, ctx.Flags.String("signal")));
    }

    public static Task<int> RestartAsync(CommandContext ctx)
    {
        int? time = ctx.Flags.Changed("timeout") ? ctx.Flags.Int("timeout") : ctx.Flags.Int("time");
        return ForEachAsync(ctx, (c, id) => c.RestartContainerAsync(id, time, ctx.Flags.String("signal")));
    }

    public static Task<int> KillAsync(CommandContext ctx) =>
        ForEachAsync(ctx, (c, id) => c.KillContainerAsync(id, ctx.Flags.String("signal")));

    public static Task<int> RemoveAsync(CommandContext ctx) =>
        ForEachAsync(ctx, (c, id) => c.RemoveContainerAsync(id, ctx.Flags.Bool("force"), ctx.Flags.Bool("volumes"), ctx.Flags.Bool("link")));

    public static Task<int> PauseAsync(CommandContext ctx) => ForEachAsync(ctx, (c, id) => c.PauseContainerAsync(id));

    public static Task<int> UnpauseAsync(CommandContext ctx) => ForEachAsync(ctx, (c, id) => c.UnpauseContainerAsync(id));

    public static async Task<int> WaitAsync(CommandContext ctx)
    {
        int failures = 0;
        foreach (var id in ctx.Args)
        {
            try
            {
                var r = await ctx.Client.WaitContainerAsync(id).ConfigureAwait(false);
                ctx.Out.WriteLine(r.StatusCode);
                await ctx.Out.FlushAsync().ConfigureAwait(false);
            }
            catch (EngineApiException e)
            {
                failures++;
                ctx.Err.WriteLine("Error response from daemon: " + e.Message);
            }
        }
        return failures > 0 ? 1 : 0;
    }

    public static async Task<int> RenameAsync(CommandContext ctx)
    {
        string newName = ctx.Args[1].Trim();
        if (newName.Length == 0 || ctx.Args[0].Trim().Length == 0)
            throw new CommandFailedException(1, "Error: Neither old nor new names may be empty");
        await ctx.Client.RenameContainerAsync(ctx.Args[0], newName).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Runs action for every argument, prints each argument that succeeded, and the errors to stderr; exit 1 if any failed.</summary>
    private static async Task<int> ForEachAsync(CommandContext ctx, Func<EngineClient, string, Task> action, string errorPrefix = "")
    {
        var errors = new List<string>();
        foreach (var id in ctx.Args)
        {
            try
            {
                await action(ctx.Client, id).ConfigureAwait(false);
                ctx.Out.WriteLine(id);
            }
            catch (EngineApiException e)
            {
                errors.Add("Error response from daemon: " + e.Message);
            }
        }
        await ctx.Out.FlushAsync().ConfigureAwait(false);
        if (errors.Count == 0) return 0;
        if (errorPrefix.Length > 0 && errors.Count > 0) ctx.Err.WriteLine(string.Join("\n", errors));
        else foreach (var e in errors) ctx.Err.WriteLine(e);
        return 1;
    }
}
