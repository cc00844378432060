using Berth.Cli.Output;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker ps / docker container ls.</summary>
internal static class PsCommand
{
    public const string DefaultFormat = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";

    public static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID", ["Image"] = "IMAGE", ["Command"] = "COMMAND", ["CreatedAt"] = "CREATED AT", ["RunningFor"] = "CREATED",
        ["Ports"] = "PORTS", ["State"] = "STATE", ["Status"] = "STATUS", ["Size"] = "SIZE", ["Names"] = "NAMES", ["Labels"] = "LABELS",
        ["Mounts"] = "MOUNTS", ["Networks"] = "NETWORKS", ["LocalVolumes"] = "LOCAL VOLUMES", ["Platform"] = "PLATFORM",
    };

    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        int? last = f.Bool("latest") ? 1 : f.Int("last") is { } n && n != -1 ? n : null;
        bool all = f.Bool("all") || last != null;
        bool trunc = !f.Bool("no-trunc");
        string? format = f.String("format");
        bool size = f.Bool("size") || (format != null && format.Contains(".Size", StringComparison.Ordinal));
        var containers = await ctx.Client.ListContainersAsync(all, last, size, Filters.Parse(f.List("filter"))).ConfigureAwait(false);
        if (f.Bool("quiet"))
        {
            foreach (var c in containers) ctx.Out.WriteLine(trunc ? Display.ShortId(c.Id) : c.Id);
            return 0;
        }
        string defaultFormat = f.Bool("size") ? DefaultFormat + "\t{{.Size}}" : DefaultFormat;
        var now = DateTimeOffset.UtcNow;
        var rows = containers.Select(c => RowFormatter.Object(Row(c, trunc, now))).ToList();
        ctx.Out.Write(RowFormatter.Render(format, defaultFormat, rows, Headers));
        return 0;
    }

    /// <summary>The fields Docker's container formatter exposes, rendered as Docker renders them.</summary>
    public static Dictionary<string, string> Row(ContainerSummary c, bool trunc, DateTimeOffset now)
    {
        var names = c.Names.Select(n => n.TrimStart('/')).Where(n => !n.Contains('/')).ToList();
        string image = c.Image;
        if (trunc && (image.StartsWith("sha256:", StringComparison.Ordinal) || image == c.ImageID)) image = Display.ShortId(image);
        string command = trunc ? Display.Ellipsis(c.Command, 20) : c.Command;
        string sizeText = "";
        if (c.SizeRw != null || c.SizeRootFs != null)
        {
            sizeText = HumanUnits.Size(c.SizeRw ?? 0);
            if (c.SizeRootFs is > 0) sizeText += $" (virtual {HumanUnits.Size(c.SizeRootFs.Value)})";
        }
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = trunc ? Display.ShortId(c.Id) : c.Id,
            ["Image"] = image,
            ["Command"] = Display.Quote(command),
            ["CreatedAt"] = Display.GoTime(DateTimeOffset.FromUnixTimeSeconds(c.Created)),
            ["RunningFor"] = Display.Ago(c.Created, now),
            ["Ports"] = Display.Ports(c.Ports),
            ["State"] = c.State,
            ["Status"] = c.Status,
            ["Size"] = sizeText.Length > 0 ? sizeText : "0B",
            ["Names"] = string.Join(",", trunc && names.Count > 0 ? names.Take(1) : names),
            ["Labels"] = c.Labels == null ? "" : string.Join(",", c.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
            ["Mounts"] = c.Mounts == null ? "" : string.Join(",", c.Mounts.Select(m => trunc ? Display.Ellipsis(m.Name is { Length: > 0 } n ? n : m.Source, 15) : (m.Name is { Length: > 0 } n2 ? n2 : m.Source))),
            ["Networks"] = c.NetworkSettings?.Networks == null ? "" : string.Join(",", c.NetworkSettings.Networks.Keys.OrderBy(k => k, StringComparer.Ordinal)),
            ["LocalVolumes"] = (c.Mounts?.Count(m => m.Type == "volume") ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
