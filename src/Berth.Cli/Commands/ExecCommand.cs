using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker exec: create an exec instance, start it attached (hijacked) or detached, exit with its code.</summary>
internal static class ExecCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        bool detach = f.Bool("detach"), tty = f.Bool("tty"), interactive = f.Bool("interactive");
        if (tty && interactive && !RawTerminal.IsTerminal(0) && !detach) throw new CommandFailedException(1, "the input device is not a TTY");
        var env = new List<string>();
        foreach (var file in f.List("env-file")) env.AddRange(KeyValueFiles.ReadEnvFile(file));
        foreach (var e in f.List("env")) if (KeyValueFiles.ResolveEnv(e) is { } r) env.Add(r);
        var (h, w) = RawTerminal.Size(RawTerminal.IsTerminal(1) ? 1 : 0);
        var request = new ExecCreateRequest
        {
            AttachStdin = interactive && !detach,
            AttachStdout = !detach,
            AttachStderr = !detach,
            Tty = tty,
            Env = env.Count == 0 ? null : env,
            Cmd = ctx.Args.Skip(1).ToList(),
            Privileged = f.Bool("privileged"),
            User = f.String("user"),
            WorkingDir = f.String("workdir"),
            DetachKeys = f.String("detach-keys"),
            ConsoleSize = tty && h > 0 ? new List<int> { h, w } : null,
        };
        var client = ctx.Client;
        string container = ctx.Args[0];
        var created = await client.CreateExecAsync(container, request).ConfigureAwait(false);
        var start = new ExecStartRequest { Tty = tty, ConsoleSize = request.ConsoleSize };
        if (detach)
        {
            await client.StartExecDetachedAsync(created.Id, start).ConfigureAwait(false);
            return 0;
        }
        var stream = await client.StartExecAttachedAsync(created.Id, start).ConfigureAwait(false);
        using (var session = new StreamSession(stream, tty, request.AttachStdin))
        {
            session.SetupTerminal((height, width) => client.ResizeExecAsync(created.Id, height, width));
            await session.RunAsync(StreamSession.Stdout(ctx), StreamSession.Stderr(ctx), request.AttachStdin ? StreamSession.Stdin() : null).ConfigureAwait(false);
        }
        // The exit code is recorded a moment after the stream closes.
        for (int i = 0; i < 50; i++)
        {
            var info = await client.InspectExecAsync(created.Id).ConfigureAwait(false);
            if (!info.Running) return info.ExitCode ?? 0;
            await Task.Delay(20).ConfigureAwait(false);
        }
        return 0;
    }
}
