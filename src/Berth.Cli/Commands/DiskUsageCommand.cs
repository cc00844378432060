using Berth.Cli.Output;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker system df: a summary table per object type, or with -v the images, containers and volumes one by one.</summary>
internal static class DiskUsageCommand
{
    private const string SummaryFormat = "table {{.Type}}\t{{.TotalCount}}\t{{.Active}}\t{{.Size}}\t{{.Reclaimable}}";

    private static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Type"] = "TYPE", ["TotalCount"] = "TOTAL", ["Active"] = "ACTIVE", ["Size"] = "SIZE", ["Reclaimable"] = "RECLAIMABLE",
        ["Repository"] = "REPOSITORY", ["Tag"] = "TAG", ["ID"] = "IMAGE ID", ["CreatedSince"] = "CREATED", ["SharedSize"] = "SHARED SIZE",
        ["UniqueSize"] = "UNIQUE SIZE", ["Containers"] = "CONTAINERS", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["LocalVolumes"] = "LOCAL VOLUMES",
        ["Status"] = "STATUS", ["Names"] = "NAMES", ["ContainerID"] = "CONTAINER ID", ["Name"] = "VOLUME NAME", ["Links"] = "LINKS",
    };

    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var du = await ctx.Client.DataUsageAsync().ConfigureAwait(false);
        var images = du.Images ?? new();
        var containers = du.Containers ?? new();
        var volumes = du.Volumes ?? new();
        var cache = du.BuildCache ?? new();
        if (ctx.Flags.Bool("verbose"))
        {
            Verbose(ctx, images, containers, volumes, cache);
            return 0;
        }
        long imagesActive = images.Count(i => i.Containers > 0);
        long imagesReclaim = du.LayersSize - images.Where(i => i.Containers > 0).Sum(i => i.Size - Math.Max(0, i.SharedSize)) - SharedInUse(images);
        long containersSize = containers.Sum(c => c.SizeRw ?? 0);
        long containersReclaim = containers.Where(c => c.State is not ("running" or "paused" or "restarting")).Sum(c => c.SizeRw ?? 0);
        long volumesSize = volumes.Sum(v => Math.Max(0, v.UsageData?.Size ?? 0));
        long volumesReclaim = volumes.Where(v => v.UsageData?.RefCount == 0).Sum(v => Math.Max(0, v.UsageData?.Size ?? 0));
        long cacheSize = cache.Sum(c => c.Size);
        var rows = new[]
        {
            Row("Images", images.Count, imagesActive, du.LayersSize, Math.Max(0, imagesReclaim)),
            Row("Containers", containers.Count, containers.Count(c => c.State is "running" or "paused" or "restarting"), containersSize, containersReclaim),
            Row("Local Volumes", volumes.Count, volumes.Count(v => v.UsageData?.RefCount > 0), volumesSize, volumesReclaim),
            Row("Build Cache", cache.Count, cache.Count(c => c.InUse), cacheSize, cache.Where(c => !c.InUse).Sum(c => c.Size)),
        }.ToList();
        ctx.Out.Write(RowFormatter.Render(ctx.Flags.String("format"), SummaryFormat, rows, Headers));
        return 0;
    }

    // Layers shared by images in use are not reclaimable either; count each shared byte once.
    private static long SharedInUse(List<ImageSummary> images) =>
        images.Where(i => i.Containers > 0).Select(i => Math.Max(0, i.SharedSize)).DefaultIfEmpty(0).Max();

    private static System.Text.Json.JsonElement Row(string type, long total, long active, long size, long reclaimable) =>
        RowFormatter.Object(new Dictionary<string, string>
        {
            ["Type"] = type, ["TotalCount"] = total.ToString(), ["Active"] = active.ToString(), ["Size"] = HumanUnits.Size(size),
            ["Reclaimable"] = size > 0 ? $"{HumanUnits.Size(reclaimable)} ({reclaimable * 100 / size}%)" : HumanUnits.Size(reclaimable),
        });

    private static void Verbose(CommandContext ctx, List<ImageSummary> images, List<ContainerSummary> containers, List<Volume> volumes, List<BuildCacheRecord> cache)
    {
        var now = DateTimeOffset.UtcNow;
        ctx.Out.WriteLine("Images space usage:\n");
        var imageRows = images.SelectMany(i => (i.RepoTags.Count > 0 ? i.RepoTags : ["<none>:<none>"]).Select(tag =>
        {
            int colon = tag.LastIndexOf(':');
            return RowFormatter.Object(new Dictionary<string, string>
            {
                ["Repository"] = tag[..colon], ["Tag"] = tag[(colon + 1)..], ["ID"] = i.Id.Replace("sha256:", "")[..12],
                ["CreatedSince"] = HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(i.Created)) + " ago",
                ["Size"] = HumanUnits.Size(i.Size), ["SharedSize"] = HumanUnits.Size(Math.Max(0, i.SharedSize)),
                ["UniqueSize"] = HumanUnits.Size(i.Size - Math.Max(0, i.SharedSize)), ["Containers"] = i.Containers.ToString(),
            });
        })).ToList();
        ctx.Out.Write(RowFormatter.Render(null, "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}", imageRows, Headers));
        ctx.Out.WriteLine("\nContainers space usage:\n");
        var containerRows = containers.Select(c => RowFormatter.Object(new Dictionary<string, string>
        {
            ["ContainerID"] = c.Id[..12], ["Image"] = c.Image, ["Command"] = "\"" + Truncate(c.Command, 20) + "\"",
            ["LocalVolumes"] = c.Mounts?.Count(m => m.Type == "volume").ToString() ?? "0", ["Size"] = HumanUnits.Size(c.SizeRw ?? 0),
            ["CreatedSince"] = HumanUnits.Duration(now - DateTimeOffset.FromUnixTimeSeconds(c.Created)) + " ago", ["Status"] = c.Status,
            ["Names"] = string.Join(",", c.Names.Select(n => n.TrimStart('/'))),
        })).ToList();
        ctx.Out.Write(RowFormatter.Render(null, "table {{.ContainerID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.CreatedSince}}\t{{.Status}}\t{{.Names}}", containerRows, Headers));
        ctx.Out.WriteLine("\nLocal Volumes space usage:\n");
        var volumeRows = volumes.Select(v => RowFormatter.Object(new Dictionary<string, string>
        {
            ["Name"] = v.Name, ["Links"] = (v.UsageData?.RefCount ?? 0).ToString(),
            ["Size"] = v.UsageData is { Size: >= 0 } u ? HumanUnits.Size(u.Size) : "N/A",
        })).ToList();
        ctx.Out.Write(RowFormatter.Render(null, "table {{.Name}}\t{{.Links}}\t{{.Size}}", volumeRows, Headers));
        ctx.Out.WriteLine($"\nBuild cache usage: {HumanUnits.Size(cache.Sum(c => c.Size))}\n");
    }

    private static string Truncate(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
