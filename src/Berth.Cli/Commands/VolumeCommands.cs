using System.Text.Json;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker volume create, ls, inspect, rm, prune.</summary>
internal static class VolumeCommands
{
    public const string DefaultFormat = "table {{.Driver}}\t{{.Name}}";

    public static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["Driver"] = "DRIVER", ["Name"] = "VOLUME NAME", ["Scope"] = "SCOPE", ["Mountpoint"] = "MOUNTPOINT", ["Labels"] = "LABELS", ["Size"] = "SIZE",
    };

    public static async Task<int> CreateAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        string? name = ctx.Args.Count > 0 ? ctx.Args[0] : f.String("name");
        if (ctx.Args.Count > 0 && f.String("name") is { } flagName && flagName != ctx.Args[0])
            throw new Parsing.UsageException($"conflicting options: cannot specify a volume-name through both --name and as a positional arg");
        var options = new VolumeCreateOptions
        {
            Name = name,
            Driver = f.String("driver"),
            DriverOpts = Pairs(f.List("opt"), "--opt"),
            Labels = Pairs(f.List("label"), "--label", allowBare: true),
        };
        var volume = await ctx.Client.CreateVolumeAsync(options).ConfigureAwait(false);
        ctx.Out.WriteLine(volume.Name);
        return 0;
    }

    public static async Task<int> ListAsync(CommandContext ctx)
    {
        var list = await ctx.Client.ListVolumesAsync(Filters.Parse(ctx.Flags.List("filter"))).ConfigureAwait(false);
        var volumes = list.Volumes.OrderBy(v => v.Name, StringComparer.Ordinal).ToList();
        if (ctx.Flags.Bool("quiet"))
        {
            foreach (var v in volumes) ctx.Out.WriteLine(v.Name);
            return 0;
        }
        var rows = volumes.Select(v => RowFormatter.Object(new Dictionary<string, string>
        {
            ["Driver"] = v.Driver, ["Name"] = v.Name, ["Scope"] = v.Scope, ["Mountpoint"] = v.Mountpoint,
            ["Labels"] = v.Labels == null ? "" : string.Join(",", v.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
            ["Size"] = v.UsageData is { Size: >= 0 } u ? HumanUnits.Size(u.Size) : "N/A",
        })).ToList();
        ctx.Out.Write(RowFormatter.Render(ctx.Flags.String("format"), DefaultFormat, rows, Headers));
        return 0;
    }

    public static Task<int> InspectAsync(CommandContext ctx) =>
        InspectMany(ctx, name => ctx.Client.InspectVolumeRawAsync(name), "Error: No such volume: ");

    public static async Task<int> RemoveAsync(CommandContext ctx)
    {
        int failures = 0;
        foreach (var name in ctx.Args)
        {
            try
            {
                await ctx.Client.RemoveVolumeAsync(name, ctx.Flags.Bool("force")).ConfigureAwait(false);
                ctx.Out.WriteLine(name);
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

    public static async Task<int> PruneAsync(CommandContext ctx)
    {
        bool all = ctx.Flags.Bool("all");
        string warning = all
            ? "WARNING! This will remove all local volumes not used by at least one container."
            : "WARNING! This will remove anonymous local volumes not used by at least one container.";
        if (!ctx.Flags.Bool("force") && !Confirm.Ask(ctx, warning)) return 0;
        var filters = Filters.Parse(ctx.Flags.List("filter")) ?? new Dictionary<string, List<string>>(StringComparer.Ordinal);
        if (all) filters["all"] = new List<string> { "true" };
        var result = await ctx.Client.PruneVolumesAsync(filters.Count == 0 ? null : filters).ConfigureAwait(false);
        if (result.VolumesDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Volumes:");
            foreach (var v in deleted) ctx.Out.WriteLine(v);
            ctx.Out.WriteLine();
        }
        ctx.Out.WriteLine("Total reclaimed space: " + HumanUnits.Size(result.SpaceReclaimed));
        return 0;
    }

    /// <summary>Inspects each argument; prints the found objects as one array (or per --format) and the misses to stderr.</summary>
    internal static async Task<int> InspectMany(CommandContext ctx, Func<string, Task<JsonDocument>> inspect, string missing)
    {
        var found = new List<JsonDocument>();
        var errors = new List<string>();
        foreach (var name in ctx.Args)
        {
            try { found.Add(await inspect(name).ConfigureAwait(false)); }
            catch (EngineApiException e) when (e.StatusCode == 404) { errors.Add(missing + name); }
        }
        string? format = ctx.Flags.String("format");
        if (string.IsNullOrEmpty(format) || format == "json") ctx.Out.WriteLine(InspectCommand.Array(found));
        else
        {
            var template = GoTemplate.Parse(format);
            foreach (var d in found) ctx.Out.WriteLine(template.Execute(d.RootElement));
        }
        foreach (var d in found) d.Dispose();
        await ctx.Out.FlushAsync().ConfigureAwait(false);
        foreach (var e in errors) ctx.Err.WriteLine(e);
        return errors.Count > 0 ? 1 : 0;
    }

    internal static Dictionary<string, string>? Pairs(List<string> entries, string flag, bool allowBare = false)
    {
        if (entries.Count == 0) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            int eq = e.IndexOf('=');
            if (eq == 0 || (eq < 0 && !allowBare)) throw new Parsing.UsageException($"invalid argument \"{e}\" for \"{flag}\" flag: expected key=value");
            map[eq < 0 ? e : e[..eq]] = eq < 0 ? "" : e[(eq + 1)..];
        }
        return map;
    }
}
