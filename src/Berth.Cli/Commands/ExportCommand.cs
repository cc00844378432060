using Berth.Cli.Terminal;

namespace Berth.Cli.Commands;

/// <summary>docker export and docker save: a tar to -o FILE or to stdout (never to a terminal).</summary>
internal static class ExportCommand
{
    public static async Task<int> ExportAsync(CommandContext ctx)
    {
        await using var target = OpenOutput(ctx);
        using var response = await ctx.Client.ExportContainerAsync(ctx.Args[0]).ConfigureAwait(false);
        await response.Body.CopyToAsync(target).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> SaveAsync(CommandContext ctx)
    {
        await using var target = OpenOutput(ctx);
        using var response = await ctx.Client.SaveImagesAsync(ctx.Args).ConfigureAwait(false);
        await response.Body.CopyToAsync(target).ConfigureAwait(false);
        return 0;
    }

    private static Stream OpenOutput(CommandContext ctx)
    {
        if (ctx.Flags.String("output") is { Length: > 0 } path)
        {
            try { return new FileStream(path, FileMode.Create, FileAccess.Write); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CommandFailedException(1, $"failed to export to {path}: {e.Message}"); }
        }
        if (RawTerminal.IsTerminal(1) && ctx.Out is StreamWriter)
            throw new CommandFailedException(1, "cowardly refusing to save to a terminal. Use the -o flag or redirect");
        return new NonClosingStream(StreamSession.Stdout(ctx));
    }
}

/// <summary>Lets a using block flush stdout without closing it.</summary>
internal sealed class NonClosingStream(Stream inner) : Output.WriteOnlyStream
{
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default) => inner.WriteAsync(buffer, ct);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.WriteAsync(buffer, offset, count, ct);
    public override void Flush() => inner.Flush();
    public override ValueTask DisposeAsync() { inner.Flush(); return ValueTask.CompletedTask; }
    protected override void Dispose(bool disposing) => inner.Flush();
}
