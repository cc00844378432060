using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>docker attach: connect the terminal to a running container's stdio; exit with its code if it stops.</summary>
internal static class AttachCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var client = ctx.Client;
        var info = await client.InspectContainerAsync(ctx.Args[0]).ConfigureAwait(false);
        if (info.State is not { Running: true }) throw new CommandFailedException(1, "You cannot attach to a stopped container, start it first");
        if (info.State.Paused) throw new CommandFailedException(1, "You cannot attach to a paused container, unpause it first");
        bool tty = info.Config?.Tty == true;
        bool stdin = !f.Bool("no-stdin") && info.Config?.OpenStdin == true;
        if (tty && stdin && !RawTerminal.IsTerminal(0)) throw new CommandFailedException(1, "the input device is not a TTY");
        var stream = await client.AttachContainerAsync(info.Id, stdin, true, true, detachKeys: f.String("detach-keys")).ConfigureAwait(false);
        var waitTask = await client.BeginWaitContainerAsync(info.Id, "not-running").ConfigureAwait(false);
        using var signals = !tty && f.Bool("sig-proxy") ? SignalProxy.Create(client, info.Id) : null;
        using (var session = new StreamSession(stream, tty, stdin))
        {
            session.SetupTerminal((h, w) => client.ResizeContainerAsync(info.Id, h, w));
            await session.RunAsync(StreamSession.Stdout(ctx), StreamSession.Stderr(ctx), stdin ? StreamSession.Stdin() : null).ConfigureAwait(false);
        }
        if (await RunCommand.DetachedAsync(client, info.Id, waitTask).ConfigureAwait(false)) return 0;
        return (int)(await waitTask.ConfigureAwait(false)).StatusCode;
    }
}
