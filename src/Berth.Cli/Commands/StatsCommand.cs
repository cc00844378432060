using System.Globalization;
using System.Text.Json;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker stats: CPU, memory, network, block IO and PIDs per container, once (--no-stream) or refreshed every second.</summary>
internal static class StatsCommand
{
    public const string DefaultFormat = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";

    public static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "CONTAINER ID", ["Container"] = "CONTAINER", ["Name"] = "NAME", ["CPUPerc"] = "CPU %", ["MemUsage"] = "MEM USAGE / LIMIT",
        ["MemPerc"] = "MEM %", ["NetIO"] = "NET I/O", ["BlockIO"] = "BLOCK I/O", ["PIDs"] = "PIDS",
    };

    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var client = ctx.Client;
        List<string> names = ctx.Args.Count > 0
            ? ctx.Args.ToList()
            : (await client.ListContainersAsync(all: f.Bool("all")).ConfigureAwait(false)).Select(c => c.Id).ToList();
        bool trunc = !f.Bool("no-trunc");
        string? format = f.String("format");
        if (f.Bool("no-stream"))
        {
            var rows = new List<JsonElement>();
            var errors = new List<string>();
            foreach (var name in names)
            {
                try
                {
                    using var r = await client.StatsAsync(name, stream: false).ConfigureAwait(false);
                    var s = await JsonSerializer.DeserializeAsync(r.Body, EngineApiJson.Default.ContainerStatsResponse).ConfigureAwait(false);
                    if (s != null) rows.Add(RowFormatter.Object(Row(s, name, trunc)));
                }
                catch (EngineApiException e) { errors.Add("Error response from daemon: " + e.Message); }
            }
            ctx.Out.Write(RowFormatter.Render(format, DefaultFormat, rows, Headers));
            await ctx.Out.FlushAsync().ConfigureAwait(false);
            foreach (var e in errors) ctx.Err.WriteLine(e);
            return errors.Count > 0 ? 1 : 0;
        }

        var latest = new System.Collections.Concurrent.ConcurrentDictionary<string, Dictionary<string, string>>();
        using var cts = new CancellationTokenSource();
        var readers = names.Select(name => Task.Run(async () =>
        {
            try
            {
                using var r = await client.StatsAsync(name, stream: true, ct: cts.Token).ConfigureAwait(false);
                await foreach (var s in EngineClient.ReadJsonLinesAsync(r.Body, EngineApiJson.Default.ContainerStatsResponse, cts.Token).ConfigureAwait(false))
                    latest[name] = Row(s, name, trunc);
            }
            catch (Exception e) when (e is EngineApiException or EngineConnectionException or IOException or OperationCanceledException) { }
            latest.TryRemove(name, out _);
        })).ToList();
        var all = Task.WhenAll(readers);
        while (!all.IsCompleted)
        {
            await Task.WhenAny(all, Task.Delay(1000)).ConfigureAwait(false);
            var rows = names.Where(latest.ContainsKey).Select(n => RowFormatter.Object(latest[n])).ToList();
            ctx.Out.Write("\u001b[2J\u001b[H");
            ctx.Out.Write(RowFormatter.Render(format, DefaultFormat, rows, Headers));
            await ctx.Out.FlushAsync().ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>The stats fields as docker stats computes and prints them.</summary>
    public static Dictionary<string, string> Row(ContainerStatsResponse s, string name, bool trunc)
    {
        string id = s.Id ?? name;
        double cpu = 0;
        if (s.CpuStats != null && s.PreCpuStats != null)
        {
            double cpuDelta = (double)s.CpuStats.CpuUsage.TotalUsage - s.PreCpuStats.CpuUsage.TotalUsage;
            double systemDelta = (double)(s.CpuStats.SystemCpuUsage ?? 0) - (s.PreCpuStats.SystemCpuUsage ?? 0);
            double online = s.CpuStats.OnlineCpus ?? (uint)(s.CpuStats.CpuUsage.PercpuUsage?.Count ?? 0);
            if (online == 0) online = 1;
            if (systemDelta > 0 && cpuDelta > 0) cpu = cpuDelta / systemDelta * online * 100.0;
        }
        var mem = s.MemoryStats;
        double usage = mem?.Usage ?? 0, limit = mem?.Limit ?? 0;
        if (mem?.Stats != null)
        {
            // cgroup v1 reports total_inactive_file, v2 inactive_file; docker subtracts the page cache.
            if (mem.Stats.TryGetValue("total_inactive_file", out var v1) && v1 < usage) usage -= v1;
            else if (mem.Stats.TryGetValue("inactive_file", out var v2) && v2 < usage) usage -= v2;
        }
        double memPerc = limit > 0 ? usage / limit * 100.0 : 0;
        ulong rx = 0, tx = 0;
        if (s.Networks != null) foreach (var n in s.Networks.Values) { rx += n.RxBytes; tx += n.TxBytes; }
        ulong read = 0, write = 0;
        foreach (var e in s.BlkioStats?.IoServiceBytesRecursive ?? new())
        {
            if (e.Op.Equals("read", StringComparison.OrdinalIgnoreCase)) read += e.Value;
            else if (e.Op.Equals("write", StringComparison.OrdinalIgnoreCase)) write += e.Value;
        }
        string displayName = (s.Name ?? name).TrimStart('/');
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ID"] = trunc ? Display.ShortId(id) : id,
            ["Container"] = name,
            ["Name"] = displayName,
            ["CPUPerc"] = cpu.ToString("0.00", CultureInfo.InvariantCulture) + "%",
            ["MemUsage"] = HumanUnits.BinarySize(usage) + " / " + HumanUnits.BinarySize(limit),
            ["MemPerc"] = memPerc.ToString("0.00", CultureInfo.InvariantCulture) + "%",
            ["NetIO"] = HumanUnits.Size(rx) + " / " + HumanUnits.Size(tx),
            ["BlockIO"] = HumanUnits.Size(read) + " / " + HumanUnits.Size(write),
            ["PIDs"] = (s.PidsStats?.Current ?? 0).ToString(CultureInfo.InvariantCulture),
        };
    }
}
