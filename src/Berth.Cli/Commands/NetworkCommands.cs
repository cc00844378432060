using Berth.Cli.Output;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker network create, ls, inspect, rm, connect, disconnect, prune.</summary>
internal static class NetworkCommands
{
    public const string DefaultFormat = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    public static readonly Dictionary<string, string> Headers = new(StringComparer.Ordinal)
    {
        ["ID"] = "NETWORK ID", ["Name"] = "NAME", ["Driver"] = "DRIVER", ["Scope"] = "SCOPE", ["IPv4"] = "IPV4", ["IPv6"] = "IPV6",
        ["Internal"] = "INTERNAL", ["Labels"] = "LABELS", ["CreatedAt"] = "CREATED AT",
    };

    public static async Task<int> CreateAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var subnets = f.List("subnet");
        var gateways = f.List("gateway");
        var ranges = f.List("ip-range");
        if (gateways.Count > subnets.Count) throw new Parsing.UsageException("every --gateway needs a --subnet");
        if (ranges.Count > subnets.Count) throw new Parsing.UsageException("every --ip-range needs a --subnet");
        NetworkIpam? ipam = null;
        if (subnets.Count > 0 || f.Changed("ipam-driver"))
        {
            ipam = new NetworkIpam { Driver = f.String("ipam-driver") ?? "default", Config = new List<NetworkIpamConfig>() };
            for (int i = 0; i < subnets.Count; i++)
                ipam.Config.Add(new NetworkIpamConfig { Subnet = subnets[i], Gateway = i < gateways.Count ? gateways[i] : null, IPRange = i < ranges.Count ? ranges[i] : null });
        }
        var request = new NetworkCreateRequest
        {
            Name = ctx.Args[0],
            Driver = f.String("driver"),
            Internal = f.Changed("internal") ? f.Bool("internal") : null,
            Attachable = f.Changed("attachable") ? f.Bool("attachable") : null,
            EnableIPv6 = f.Changed("ipv6") ? f.Bool("ipv6") : null,
            IPAM = ipam,
            Options = VolumeCommands.Pairs(f.List("opt"), "--opt"),
            Labels = VolumeCommands.Pairs(f.List("label"), "--label", allowBare: true),
        };
        var created = await ctx.Client.CreateNetworkAsync(request).ConfigureAwait(false);
        if (created.Warning.Length > 0) ctx.Err.WriteLine("WARNING: " + created.Warning);
        ctx.Out.WriteLine(created.Id);
        return 0;
    }

    public static async Task<int> ListAsync(CommandContext ctx)
    {
        var networks = (await ctx.Client.ListNetworksAsync(Filters.Parse(ctx.Flags.List("filter"))).ConfigureAwait(false))
            .OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        bool trunc = !ctx.Flags.Bool("no-trunc");
        if (ctx.Flags.Bool("quiet"))
        {
            foreach (var n in networks) ctx.Out.WriteLine(trunc ? Display.ShortId(n.Id) : n.Id);
            return 0;
        }
        var rows = networks.Select(n => RowFormatter.Object(new Dictionary<string, string>
        {
            ["ID"] = trunc ? Display.ShortId(n.Id) : n.Id, ["Name"] = n.Name, ["Driver"] = n.Driver, ["Scope"] = n.Scope,
            ["IPv4"] = n.EnableIPv4 ? "true" : "false", ["IPv6"] = n.EnableIPv6 ? "true" : "false", ["Internal"] = n.Internal ? "true" : "false",
            ["Labels"] = n.Labels == null ? "" : string.Join(",", n.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
            ["CreatedAt"] = n.Created,
        })).ToList();
        ctx.Out.Write(RowFormatter.Render(ctx.Flags.String("format"), DefaultFormat, rows, Headers));
        return 0;
    }

    public static Task<int> InspectAsync(CommandContext ctx) =>
        VolumeCommands.InspectMany(ctx, id => ctx.Client.InspectNetworkRawAsync(id, ctx.Flags.Bool("verbose")), "Error: No such network: ");

    public static async Task<int> RemoveAsync(CommandContext ctx)
    {
        int failures = 0;
        foreach (var id in ctx.Args)
        {
            try
            {
                await ctx.Client.RemoveNetworkAsync(id).ConfigureAwait(false);
                ctx.Out.WriteLine(id);
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

    public static async Task<int> ConnectAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var endpoint = new EndpointSettings { Aliases = f.List("alias").Count > 0 ? f.List("alias").ToList() : null };
        if (f.String("ip") != null || f.String("ip6") != null)
            endpoint.IPAMConfig = new EndpointIpamConfig { IPv4Address = f.String("ip"), IPv6Address = f.String("ip6") };
        await ctx.Client.ConnectNetworkAsync(ctx.Args[0], new NetworkConnectRequest { Container = ctx.Args[1], EndpointConfig = endpoint }).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> DisconnectAsync(CommandContext ctx)
    {
        await ctx.Client.DisconnectNetworkAsync(ctx.Args[0], new NetworkDisconnectRequest { Container = ctx.Args[1], Force = ctx.Flags.Bool("force") }).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> PruneAsync(CommandContext ctx)
    {
        if (!ctx.Flags.Bool("force") && !Confirm.Ask(ctx, "WARNING! This will remove all custom networks not used by at least one container."))
            return 0;
        var result = await ctx.Client.PruneNetworksAsync(Filters.Parse(ctx.Flags.List("filter"))).ConfigureAwait(false);
        if (result.NetworksDeleted is { Count: > 0 } deleted)
        {
            ctx.Out.WriteLine("Deleted Networks:");
            foreach (var n in deleted) ctx.Out.WriteLine(n);
        }
        return 0;
    }
}
