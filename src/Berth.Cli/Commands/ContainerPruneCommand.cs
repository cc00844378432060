using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker container prune and docker container diff.</summary>
internal static class ContainerPruneCommand
{
    public static async Task<int> PruneAsync(CommandContext ctx)
    {
        if (!ctx.Flags.Bool("force") && !Confirm.Ask(ctx, "WARNING! This will remove all stopped containers."))
            return 0;
        var result = await ctx.Client.PruneContainersAsync(Filters.Parse(ctx.Flags.List("filter"))).ConfigureAwait(false);
        if (result.ContainersDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Containers:");
            foreach (var id in deleted) ctx.Out.WriteLine(id);
            ctx.Out.WriteLine();
        }
        ctx.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(result.SpaceReclaimed));
        return 0;
    }

    public static async Task<int> DiffAsync(CommandContext ctx)
    {
        var changes = await ctx.Client.ChangesAsync(ctx.Args[0]).ConfigureAwait(false);
        foreach (var c in changes) ctx.Out.WriteLine((c.Kind switch { 0 => "C", 1 => "A", 2 => "D", _ => "?" }) + " " + c.Path);
        return 0;
    }
}

/// <summary>The "Are you sure you want to continue? [y/N]" prompt of prune commands.</summary>
internal static class Confirm
{
    public static bool Ask(CommandContext ctx, string warning)
    {
        ctx.Out.Write(warning + "\nAre you sure you want to continue? [y/N] ");
        ctx.Out.Flush();
        string? answer = Console.In.ReadLine();
        return answer?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
