using System.Globalization;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>docker logs: the container's log, demultiplexed unless it has a TTY.</summary>
internal static class LogsCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var info = await ctx.Client.InspectContainerAsync(ctx.Args[0]).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        string? since = f.String("since") is { Length: > 0 } s ? Timestamp(s, now, "--since") : null;
        string? until = f.String("until") is { Length: > 0 } u ? Timestamp(u, now, "--until") : null;
        using var response = await ctx.Client.LogsAsync(info.Id, f.Bool("follow"), true, true, since, until, f.Bool("timestamps"), f.String("tail")).ConfigureAwait(false);
        var stdout = StreamSession.Stdout(ctx);
        var stderr = StreamSession.Stderr(ctx);
        if (info.Config?.Tty == true)
        {
            var buffer = new byte[32 * 1024];
            int n;
            while ((n = await response.Body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
                await stdout.FlushAsync().ConfigureAwait(false);
            }
        }
        else await StreamDemultiplexer.CopyAsync(response.Body, stdout, stderr).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Docker's --since/--until: a Go duration ("10m") relative to now, a Unix time, or an RFC 3339 date; sent as Unix seconds.</summary>
    public static string Timestamp(string value, DateTimeOffset now, string flag)
    {
        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)) return value;
        try
        {
            long ns = Units.GoDuration(value, flag);
            var t = now - TimeSpan.FromTicks(ns / 100);
            return t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "." + (t.Ticks % TimeSpan.TicksPerSecond * 100).ToString("000000000", CultureInfo.InvariantCulture);
        }
        catch (UsageException) { }
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        throw new UsageException($"invalid value for \"{flag}\": \"{value}\" is not a duration, a Unix timestamp or an RFC 3339 date");
    }
}
