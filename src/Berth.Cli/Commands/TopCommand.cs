using Berth.Cli.Output;

namespace Berth.Cli.Commands;

/// <summary>docker top: the container's processes as ps prints them.</summary>
internal static class TopCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        string? psArgs = ctx.Args.Count > 1 ? string.Join(" ", ctx.Args.Skip(1)) : null;
        var top = await ctx.Client.TopAsync(ctx.Args[0], psArgs).ConfigureAwait(false);
        var lines = new List<string> { string.Join("\t", top.Titles) };
        lines.AddRange(top.Processes.Select(p => string.Join("\t", p)));
        ctx.Out.Write(TabWriter.Align(lines, minWidth: 20));
        return 0;
    }
}
