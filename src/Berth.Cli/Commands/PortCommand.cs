namespace Berth.Cli.Commands;

/// <summary>docker port: the published ports of a container, optionally for one private port.</summary>
internal static class PortCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var info = await ctx.Client.InspectContainerAsync(ctx.Args[0]).ConfigureAwait(false);
        var ports = info.NetworkSettings?.Ports ?? new();
        string? wanted = null;
        if (ctx.Args.Count > 1)
        {
            wanted = ctx.Args[1].Contains('/') ? ctx.Args[1] : ctx.Args[1] + "/tcp";
            if (!ports.TryGetValue(wanted, out var only) || only == null || only.Count == 0)
                throw new CommandFailedException(1, $"Error: No public port '{wanted}' published for {ctx.Args[0]}");
        }
        foreach (var (port, bindings) in ports.OrderBy(p => PortNumber(p.Key)).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            if (bindings == null || (wanted != null && port != wanted)) continue;
            foreach (var b in bindings)
            {
                string ip = b.HostIp.Length == 0 ? "0.0.0.0" : b.HostIp.Contains(':') ? "[" + b.HostIp + "]" : b.HostIp;
                ctx.Out.WriteLine(wanted != null ? $"{ip}:{b.HostPort}" : $"{port} -> {ip}:{b.HostPort}");
            }
        }
        return 0;
    }

    private static int PortNumber(string key) => int.TryParse(key.Split('/')[0], out int n) ? n : 0;
}
