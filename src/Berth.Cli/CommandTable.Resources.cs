using Berth.Cli.Commands;

namespace Berth.Cli;

public static partial class CommandTable
{
    private static IEnumerable<CommandSpec> VolumeCommandSpecs()
    {
        yield return new("create", "[OPTIONS] [VOLUME]", "Create a volume", VolumeCommands.CreateAsync)
        {
            MaxArgs = 1,
            Flags = { S("driver", 'd', "Specify volume driver name", "local"), L("label", null, "Set metadata for a volume"), S("name", null, "Specify volume name"), L("opt", 'o', "Set driver specific options", "map") },
        };
        yield return new("inspect", "[OPTIONS] VOLUME [VOLUME...]", "Display detailed information on one or more volumes", VolumeCommands.InspectAsync) { MinArgs = 1, Flags = { FormatFlag() } };
        yield return new("ls", "[OPTIONS]", "List volumes", VolumeCommands.ListAsync)
        {
            MaxArgs = 0, Aliases = new[] { "list" },
            Flags = { L("filter", 'f', "Provide filter values (e.g. \"dangling=true\")", "filter"), TableFormatFlag(), B("quiet", 'q', "Only display volume names") },
        };
        yield return new("prune", "[OPTIONS]", "Remove unused local volumes", VolumeCommands.PruneAsync)
        {
            MaxArgs = 0,
            Flags = { B("all", 'a', "Remove all unused volumes, not just anonymous ones"), L("filter", null, "Provide filter values (e.g. \"label=<label>\")", "filter"), B("force", 'f', "Do not prompt for confirmation") },
        };
        yield return new("rm", "[OPTIONS] VOLUME [VOLUME...]", "Remove one or more volumes", VolumeCommands.RemoveAsync)
        {
            MinArgs = 1, Aliases = new[] { "remove" }, Flags = { B("force", 'f', "Force the removal of one or more volumes") },
        };
    }

    private static IEnumerable<CommandSpec> NetworkCommandSpecs()
    {
        yield return new("connect", "[OPTIONS] NETWORK CONTAINER", "Connect a container to a network", NetworkCommands.ConnectAsync)
        {
            MinArgs = 2, MaxArgs = 2,
            Flags = { L("alias", null, "Add network-scoped alias for the container"), S("ip", null, "IPv4 address (e.g., \"172.30.100.104\")"), S("ip6", null, "IPv6 address (e.g., \"2001:db8::33\")") },
        };
        yield return new("create", "[OPTIONS] NETWORK", "Create a network", NetworkCommands.CreateAsync)
        {
            MinArgs = 1, MaxArgs = 1,
            Flags =
            {
                B("attachable", null, "Enable manual container attachment"), S("driver", 'd', "Driver to manage the Network", "bridge"),
                L("gateway", null, "IPv4 or IPv6 Gateway for the master subnet"), B("internal", null, "Restrict external access to the network"),
                L("ip-range", null, "Allocate container ip from a sub-range"), S("ipam-driver", null, "IP Address Management Driver", "default"),
                B("ipv6", null, "Enable or disable IPv6 networking"), L("label", null, "Set metadata on a network"),
                L("opt", 'o', "Set driver specific options", "map"), L("subnet", null, "Subnet in CIDR format that represents a network segment"),
            },
        };
        yield return new("disconnect", "[OPTIONS] NETWORK CONTAINER", "Disconnect a container from a network", NetworkCommands.DisconnectAsync)
        {
            MinArgs = 2, MaxArgs = 2, Flags = { B("force", 'f', "Force the container to disconnect from a network") },
        };
        yield return new("inspect", "[OPTIONS] NETWORK [NETWORK...]", "Display detailed information on one or more networks", NetworkCommands.InspectAsync)
        {
            MinArgs = 1, Flags = { FormatFlag(), B("verbose", 'v', "Verbose output for diagnostics") },
        };
        yield return new("ls", "[OPTIONS]", "List networks", NetworkCommands.ListAsync)
        {
            MaxArgs = 0, Aliases = new[] { "list" },
            Flags = { L("filter", 'f', "Provide filter values (e.g. \"driver=bridge\")", "filter"), TableFormatFlag(), B("no-trunc", null, "Do not truncate the output"), B("quiet", 'q', "Only display network IDs") },
        };
        yield return new("prune", "[OPTIONS]", "Remove all unused networks", NetworkCommands.PruneAsync)
        {
            MaxArgs = 0, Flags = { L("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"), B("force", 'f', "Do not prompt for confirmation") },
        };
        yield return new("rm", "NETWORK [NETWORK...]", "Remove one or more networks", NetworkCommands.RemoveAsync) { MinArgs = 1, Aliases = new[] { "remove" } };
    }
}
