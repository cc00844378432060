using System.Globalization;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>history, tag, rmi, import, load, image prune and Berth's image bootstrap.</summary>
internal static class ImageCommands
{
    public const string HistoryFormat = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";

    public static readonly Dictionary<string, string> HistoryHeaders = new(StringComparer.Ordinal)
    {
        ["ID"] = "IMAGE", ["CreatedSince"] = "CREATED", ["CreatedAt"] = "CREATED AT", ["CreatedBy"] = "CREATED BY", ["Size"] = "SIZE", ["Comment"] = "COMMENT",
    };

    public static async Task<int> HistoryAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var items = await ctx.Client.ImageHistoryAsync(ctx.Args[0]).ConfigureAwait(false);
        bool trunc = !f.Bool("no-trunc"), human = f.Bool("human");
        if (f.Bool("quiet"))
        {
            foreach (var i in items) ctx.Out.WriteLine(trunc && i.Id != "<missing>" ? Display.ShortId(i.Id) : i.Id);
            return 0;
        }
        var now = DateTimeOffset.UtcNow;
        var rows = items.Select(i => RowFormatter.Object(HistoryRow(i, trunc, human, now))).ToList();
        ctx.Out.Write(RowFormatter.Render(f.String("format"), HistoryFormat, rows, HistoryHeaders));
        return 0;
    }

    public static Dictionary<string, string> HistoryRow(HistoryResponseItem i, bool trunc, bool human, DateTimeOffset now)
    {
        var created = DateTimeOffset.FromUnixTimeSeconds(i.Created);
        string createdBy = i.CreatedBy.Replace('\t', ' ');
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = trunc && i.Id != "<missing>" ? Display.ShortId(i.Id) : i.Id,
            ["CreatedSince"] = human ? Display.Ago(i.Created, now) : created.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture),
            ["CreatedAt"] = created.ToLocalTime().ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture),
            ["CreatedBy"] = trunc ? Display.Ellipsis(createdBy, 45) : createdBy,
            ["Size"] = human ? HumanUnits.Size(i.Size) : i.Size.ToString(CultureInfo.InvariantCulture),
            ["Comment"] = i.Comment,
        };
    }

    public static async Task<int> TagAsync(CommandContext ctx)
    {
        var (repo, tag) = SplitTag(ctx.Args[1]);
        await ctx.Client.TagImageAsync(ctx.Args[0], repo, tag).ConfigureAwait(false);
        return 0;
    }

    /// <summary>"repo[:tag]" → (repo, tag or "latest"); a digest reference is refused as Docker refuses it.</summary>
    public static (string Repository, string Tag) SplitTag(string reference)
    {
        if (reference.Contains('@')) throw new CommandFailedException(1, $"refusing to create a tag with a digest reference: {reference}");
        if (!Berth.Core.ImageReference.TryParse(reference, defaultTag: true, out _, out string error))
            throw new CommandFailedException(1, $"invalid reference format: {error}");
        int colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
    }

    public static async Task<int> RemoveAsync(CommandContext ctx)
    {
        int failures = 0;
        foreach (var name in ctx.Args)
        {
            try
            {
                var items = await ctx.Client.RemoveImageAsync(name, ctx.Flags.Bool("force"), ctx.Flags.Bool("no-prune")).ConfigureAwait(false);
                foreach (var i in items)
                {
                    if (i.Untagged != null) ctx.Out.WriteLine("Untagged: " + i.Untagged);
                    if (i.Deleted != null) ctx.Out.WriteLine("Deleted: " + i.Deleted);
                }
            }
            catch (EngineApiException e)
            {
                failures++;
                await ctx.Out.FlushAsync().ConfigureAwait(false);
                ctx.Err.WriteLine("Error response from daemon: " + e.Message);
            }
        }
        return failures > 0 ? 1 : 0;
    }

    public static async Task<int> ImportAsync(CommandContext ctx)
    {
        string source = ctx.Args[0];
        string? repo = null, tag = null;
        if (ctx.Args.Count > 1) (repo, tag) = SplitTag(ctx.Args[1]);
        if (source.StartsWith("http://", StringComparison.Ordinal) || source.StartsWith("https://", StringComparison.Ordinal))
            throw new CommandFailedException(1, "berth: importing from a URL is not available yet");
        Stream input;
        if (source == "-") input = Console.OpenStandardInput();
        else
        {
            try { input = File.OpenRead(source); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CommandFailedException(1, $"open {source}: {e.Message}"); }
        }
        await using (input)
        {
            var changes = ctx.Flags.List("change");
            using var response = await ctx.Client.ImportImageAsync(input, repo, tag, ctx.Flags.String("message"), changes.Count == 0 ? null : changes).ConfigureAwait(false);
            await PrintProgressAsync(ctx, response.Body).ConfigureAwait(false);
        }
        return 0;
    }

    public static async Task<int> LoadAsync(CommandContext ctx)
    {
        string? path = ctx.Flags.String("input");
        Stream input;
        if (path is { Length: > 0 })
        {
            try { input = File.OpenRead(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new CommandFailedException(1, $"open {path}: {e.Message}"); }
        }
        else
        {
            if (RawTerminal.IsTerminal(0)) throw new CommandFailedException(1, "requested load from stdin, but stdin is empty");
            input = Console.OpenStandardInput();
        }
        await using (input)
        {
            using var response = await ctx.Client.LoadImagesAsync(input, ctx.Flags.Bool("quiet")).ConfigureAwait(false);
            await PrintProgressAsync(ctx, response.Body).ConfigureAwait(false);
        }
        return 0;
    }

    public static async Task<int> PruneAsync(CommandContext ctx)
    {
        bool all = ctx.Flags.Bool("all");
        string warning = all
            ? "WARNING! This will remove all images without at least one container associated to them."
            : "WARNING! This will remove all dangling images.";
        if (!ctx.Flags.Bool("force") && !Confirm.Ask(ctx, warning)) return 0;
        var filters = Filters.Parse(ctx.Flags.List("filter")) ?? new Dictionary<string, List<string>>(StringComparer.Ordinal);
        filters["dangling"] = new List<string> { all ? "false" : "true" };
        var result = await ctx.Client.PruneImagesAsync(filters).ConfigureAwait(false);
        if (result.ImagesDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Images:");
            foreach (var i in deleted)
            {
                if (i.Untagged != null) ctx.Out.WriteLine("untagged: " + i.Untagged);
                if (i.Deleted != null) ctx.Out.WriteLine("deleted: " + i.Deleted);
            }
            ctx.Out.WriteLine();
        }
        ctx.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(result.SpaceReclaimed));
        return 0;
    }

    public static async Task<int> BootstrapAsync(CommandContext ctx)
    {
        string busybox = ctx.Flags.String("busybox") ?? "/bin/busybox";
        string tag = ctx.Flags.String("tag") ?? "busybox:latest";
        var result = await ctx.Client.BootstrapBusyboxAsync(busybox, tag).ConfigureAwait(false);
        ctx.Out.WriteLine(result.Id);
        return 0;
    }

    private static async Task PrintProgressAsync(CommandContext ctx, Stream body)
    {
        try
        {
            await ProgressPrinter.PrintAsync(body, ctx.Out).ConfigureAwait(false);
        }
        catch (ProgressException e)
        {
            throw new CommandFailedException(1, e.Message);
        }
    }
}
