using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker system prune: stopped containers, unused networks, dangling (or all unused) images, optionally volumes; and docker commit.</summary>
internal static class SystemPruneCommand
{
    public static async Task<int> PruneAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        bool all = f.Bool("all"), volumes = f.Bool("volumes");
        if (!f.Bool("force"))
        {
            var items = new List<string> { "all stopped containers", "all networks not used by at least one container" };
            if (volumes) items.Add("all anonymous volumes not used by at least one container");
            items.Add(all ? "all images without at least one container associated to them" : "all dangling images");
            items.Add(all ? "all build cache" : "unused build cache");
            string warning = "WARNING! This will remove:\n" + string.Join("\n", items.Select(i => "  - " + i)) + "\n";
            if (!Confirm.Ask(ctx, warning)) return 0;
        }
        var filters = Filters.Parse(f.List("filter"));
        var client = ctx.Client;
        long reclaimed = 0;
        var containers = await client.PruneContainersAsync(filters).ConfigureAwait(false);
        reclaimed += containers.SpaceReclaimed;
        Section(ctx, "Deleted Containers:", containers.ContainersDeleted);
        var networks = await Optional(() => client.PruneNetworksAsync(filters)).ConfigureAwait(false);
        Section(ctx, "Deleted Networks:", networks?.NetworksDeleted);
        if (volumes)
        {
            var v = await Optional(() => client.PruneVolumesAsync(filters)).ConfigureAwait(false);
            reclaimed += v?.SpaceReclaimed ?? 0;
            Section(ctx, "Deleted Volumes:", v?.VolumesDeleted);
        }
        var imageFilters = filters == null ? new Dictionary<string, List<string>>(StringComparer.Ordinal) : new Dictionary<string, List<string>>(filters);
        imageFilters["dangling"] = new List<string> { all ? "false" : "true" };
        var images = await client.PruneImagesAsync(imageFilters).ConfigureAwait(false);
        reclaimed += images.SpaceReclaimed;
        Section(ctx, "Deleted Images:", images.ImagesDeleted?.Select(i => i.Untagged != null ? "untagged: " + i.Untagged : "deleted: " + i.Deleted).ToList());
        var cache = await Optional(() => client.PruneBuildCacheAsync()).ConfigureAwait(false);
        reclaimed += cache?.SpaceReclaimed ?? 0;
        Section(ctx, "Deleted build cache objects:", cache?.CachesDeleted);
        ctx.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(reclaimed));
        return 0;
    }

    /// <summary>docker builder prune: the build cache (RUN --mount=type=cache directories) no build is using.</summary>
    public static async Task<int> BuilderPruneAsync(CommandContext ctx)
    {
        if (!ctx.Flags.Bool("force") && !Confirm.Ask(ctx, "WARNING! This will remove all dangling build cache.\nAre you sure you want to continue?")) return 0;
        var cache = await ctx.Client.PruneBuildCacheAsync().ConfigureAwait(false);
        Section(ctx, "Deleted build cache objects:", cache.CachesDeleted);
        ctx.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(cache.SpaceReclaimed));
        return 0;
    }

    public static async Task<int> CommitAsync(CommandContext ctx)
    {
        string? repo = null, tag = null;
        if (ctx.Args.Count > 1) (repo, tag) = ImageCommands.SplitTag(ctx.Args[1]);
        var changes = ctx.Flags.List("change");
        var result = await ctx.Client.CommitAsync(ctx.Args[0], repo, tag, ctx.Flags.String("message"), ctx.Flags.String("author"),
            ctx.Flags.Bool("pause"), changes.Count == 0 ? null : changes).ConfigureAwait(false);
        ctx.Out.WriteLine(result.Id);
        return 0;
    }

    private static void Section(CommandContext ctx, string title, List<string>? items)
    {
        if (items is not { Count: > 0 }) return;
        ctx.Out.WriteLine(title);
        foreach (var i in items) ctx.Out.WriteLine(i);
        ctx.Out.WriteLine();
    }

    // Networks and volumes may not be served by every daemon build; their absence is not a prune failure.
    private static async Task<T?> Optional<T>(Func<Task<T>> call) where T : class
    {
        try { return await call().ConfigureAwait(false); }
        catch (EngineApiException e) when (e.StatusCode is 404 or 501) { return null; }
    }
}
