using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Berth.Cli.Output;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>version, info and events.</summary>
internal static class SystemCommands
{
    public static async Task<int> VersionAsync(CommandContext ctx)
    {
        string arch = RuntimeInformation.OSArchitecture switch { Architecture.X64 => "amd64", Architecture.Arm64 => "arm64", var a => a.ToString().ToLowerInvariant() };
        var client = new Dictionary<string, string>
        {
            ["Version"] = CommandTable.Version, ["ApiVersion"] = EngineClient.ApiVersion.TrimStart('v'), ["GitCommit"] = CommandTable.GitCommit,
            ["GoVersion"] = RuntimeInformation.FrameworkDescription, ["Os"] = "linux", ["Arch"] = arch, ["Context"] = "default",
        };
        SystemVersion? server = null;
        Exception? error = null;
        try { server = await ctx.Client.VersionAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is EngineApiException or EngineConnectionException) { error = e; }

        string? format = ctx.Flags.String("format");
        if (!string.IsNullOrEmpty(format))
        {
            string json = "{\"Client\":" + TemplateFunctions.Json(RowFormatter.Object(client)) + ",\"Server\":"
                + (server == null ? "null" : JsonSerializer.Serialize(server, EngineApiJson.Default.SystemVersion)) + "}";
            using var doc = JsonDocument.Parse(json);
            ctx.Out.WriteLine(format == "json" ? json : GoTemplate.Parse(format).Execute(doc.RootElement));
        }
        else
        {
            var sb = new StringBuilder();
            sb.Append("Client:\n");
            Line(sb, 1, "Version", client["Version"]);
            Line(sb, 1, "API version", client["ApiVersion"]);
            Line(sb, 1, "Go version", client["GoVersion"]);
            Line(sb, 1, "Git commit", client["GitCommit"]);
            Line(sb, 1, "OS/Arch", "linux/" + arch);
            Line(sb, 1, "Context", "default");
            if (server != null)
            {
                sb.Append("\nServer: ").Append(server.Platform?.Name ?? "Berth Engine").Append('\n');
                foreach (var c in server.Components ?? new())
                {
                    sb.Append(' ').Append(c.Name).Append(":\n");
                    Line(sb, 2, "Version", c.Version);
                    if (c.Name == "Engine")
                    {
                        Line(sb, 2, "API version", server.ApiVersion + (server.MinAPIVersion != null ? $" (minimum version {server.MinAPIVersion})" : ""));
                        if (server.GoVersion != null) Line(sb, 2, "Go version", server.GoVersion);
                        if (server.GitCommit != null) Line(sb, 2, "Git commit", server.GitCommit);
                        if (server.BuildTime != null) Line(sb, 2, "Built", server.BuildTime);
                        Line(sb, 2, "OS/Arch", server.Os + "/" + server.Arch);
                        Line(sb, 2, "Experimental", server.Experimental == true ? "true" : "false");
                    }
                    else if (c.Details != null)
                        foreach (var (k, v) in c.Details) Line(sb, 2, k, v);
                }
                if (server.Components is null or { Count: 0 })
                {
                    sb.Append(" Engine:\n");
                    Line(sb, 2, "Version", server.Version);
                    Line(sb, 2, "API version", server.ApiVersion);
                    Line(sb, 2, "OS/Arch", server.Os + "/" + server.Arch);
                }
            }
            ctx.Out.Write(sb.ToString());
        }
        if (error != null)
        {
            await ctx.Out.FlushAsync().ConfigureAwait(false);
            ctx.Err.WriteLine(error is EngineApiException ? "Error response from daemon: " + error.Message : error.Message);
            return 1;
        }
        return 0;
    }

    private static void Line(StringBuilder sb, int indent, string key, string value) =>
        sb.Append(' ', indent).Append((key + ":").PadRight(18 - indent)).Append(value).Append('\n');

    public static async Task<int> InfoAsync(CommandContext ctx)
    {
        var info = await ctx.Client.InfoAsync().ConfigureAwait(false);
        string? format = ctx.Flags.String("format");
        if (!string.IsNullOrEmpty(format))
        {
            string json = JsonSerializer.Serialize(info, EngineApiJson.Default.SystemInfo);
            using var doc = JsonDocument.Parse(json);
            ctx.Out.WriteLine(format == "json" ? json : GoTemplate.Parse(format).Execute(doc.RootElement));
            return 0;
        }
        var sb = new StringBuilder();
        sb.Append("Client:\n Version:    ").Append(CommandTable.Version).Append("\n Context:    default\n Debug Mode: false\n\n");
        sb.Append("Server:\n");
        sb.Append(" Containers: ").Append(info.Containers).Append('\n');
        sb.Append("  Running: ").Append(info.ContainersRunning).Append('\n');
        sb.Append("  Paused: ").Append(info.ContainersPaused).Append('\n');
        sb.Append("  Stopped: ").Append(info.ContainersStopped).Append('\n');
        sb.Append(" Images: ").Append(info.Images).Append('\n');
        sb.Append(" Server Version: ").Append(info.ServerVersion).Append('\n');
        sb.Append(" Storage Driver: ").Append(info.Driver).Append('\n');
        foreach (var pair in info.DriverStatus ?? new())
            if (pair.Count == 2) sb.Append("  ").Append(pair[0]).Append(": ").Append(pair[1]).Append('\n');
        sb.Append(" Logging Driver: ").Append(info.LoggingDriver).Append('\n');
        sb.Append(" Cgroup Driver: ").Append(info.CgroupDriver).Append('\n');
        sb.Append(" Cgroup Version: ").Append(info.CgroupVersion).Append('\n');
        if (info.Plugins != null)
        {
            sb.Append(" Plugins:\n");
            sb.Append("  Volume: ").Append(string.Join(" ", info.Plugins.Volume ?? new())).Append('\n');
            sb.Append("  Network: ").Append(string.Join(" ", info.Plugins.Network ?? new())).Append('\n');
            sb.Append("  Log: ").Append(string.Join(" ", info.Plugins.Log ?? new())).Append('\n');
        }
        sb.Append(" Swarm: ").Append(info.Swarm?.LocalNodeState ?? "inactive").Append('\n');
        if (info.Runtimes != null) sb.Append(" Runtimes: ").Append(string.Join(" ", info.Runtimes.Keys.Order(StringComparer.Ordinal))).Append('\n');
        if (info.DefaultRuntime != null) sb.Append(" Default Runtime: ").Append(info.DefaultRuntime).Append('\n');
        if (info.InitBinary != null) sb.Append(" Init Binary: ").Append(info.InitBinary).Append('\n');
        if (info.SecurityOptions is { Count: > 0 })
        {
            sb.Append(" Security Options:\n");
            foreach (var o in info.SecurityOptions)
            {
                // "name=seccomp,profile=builtin" prints as "  seccomp\n   Profile: builtin".
                var parts = o.Split(',').Select(p => p.Split('=', 2)).ToList();
                foreach (var kv in parts)
                {
                    if (kv[0] == "name") sb.Append("  ").Append(kv.Length > 1 ? kv[1] : "").Append('\n');
                    else sb.Append("   ").Append(char.ToUpperInvariant(kv[0][0])).Append(kv[0][1..]).Append(": ").Append(kv.Length > 1 ? kv[1] : "").Append('\n');
                }
            }
        }
        sb.Append(" Kernel Version: ").Append(info.KernelVersion).Append('\n');
        sb.Append(" Operating System: ").Append(info.OperatingSystem).Append('\n');
        sb.Append(" OSType: ").Append(info.OSType).Append('\n');
        sb.Append(" Architecture: ").Append(info.Architecture).Append('\n');
        sb.Append(" CPUs: ").Append(info.NCPU).Append('\n');
        sb.Append(" Total Memory: ").Append(HumanUnits.BinarySize(info.MemTotal)).Append('\n');
        sb.Append(" Name: ").Append(info.Name).Append('\n');
        sb.Append(" ID: ").Append(info.ID).Append('\n');
        sb.Append(" Docker Root Dir: ").Append(info.DockerRootDir).Append('\n');
        sb.Append(" Debug Mode: ").Append(info.Debug ? "true" : "false").Append('\n');
        sb.Append(" Experimental: ").Append(info.ExperimentalBuild ? "true" : "false").Append('\n');
        if (info.Labels is { Count: > 0 })
        {
            sb.Append(" Labels:\n");
            foreach (var l in info.Labels) sb.Append("  ").Append(l).Append('\n');
        }
        if (info.RegistryConfig is { } registries)
        {
            // As docker info: the insecure registries by name, then the ranges (loopback's among them).
            var insecure = (registries.IndexConfigs ?? new()).Values.Where(i => !i.Secure).Select(i => i.Name).Order(StringComparer.Ordinal)
                .Concat(registries.InsecureRegistryCIDRs ?? new()).ToList();
            if (insecure.Count > 0) sb.Append(" Insecure Registries:\n").Append(string.Concat(insecure.Select(r => "  " + r + "\n")));
        }
        sb.Append(" Live Restore Enabled: ").Append(info.LiveRestoreEnabled ? "true" : "false").Append('\n');
        ctx.Out.Write(sb.ToString());
        if (info.Warnings is { Count: > 0 })
        {
            await ctx.Out.FlushAsync().ConfigureAwait(false);
            foreach (var w in info.Warnings) ctx.Err.WriteLine(w);
        }
        return 0;
    }

    public static async Task<int> EventsAsync(CommandContext ctx)
    {
        var f = ctx.Flags;
        var now = DateTimeOffset.UtcNow;
        string? since = f.String("since") is { Length: > 0 } s ? LogsCommand.Timestamp(s, now, "--since") : null;
        string? until = f.String("until") is { Length: > 0 } u ? LogsCommand.Timestamp(u, now, "--until") : null;
        using var response = await ctx.Client.EventsAsync(since, until, Filters.Parse(f.List("filter"))).ConfigureAwait(false);
        string? format = f.String("format");
        GoTemplate? template = string.IsNullOrEmpty(format) ? null : GoTemplate.Parse(format == "json" ? "{{json .}}" : format);
        using var reader = new StreamReader(response.Body, Encoding.UTF8);
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            if (template != null)
            {
                using var doc = JsonDocument.Parse(line);
                ctx.Out.WriteLine(template.Execute(doc.RootElement));
            }
            else
            {
                var e = JsonSerializer.Deserialize(line, EngineApiJson.Default.EventMessage);
                if (e != null) ctx.Out.WriteLine(EventLine(e));
            }
            await ctx.Out.FlushAsync().ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>"2026-11-29T15:04:05.123456789Z container start abc… (image=busybox, name=web)", docker events' default line.</summary>
    public static string EventLine(EventMessage e)
    {
        long nanos = e.TimeNano != 0 ? e.TimeNano : e.Time * 1_000_000_000;
        var t = DateTimeOffset.FromUnixTimeMilliseconds(nanos / 1_000_000).ToLocalTime();
        string frac = (nanos % 1_000_000_000).ToString("000000000", CultureInfo.InvariantCulture);
        string offset = t.Offset == TimeSpan.Zero ? "Z" : t.ToString("zzz", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append(t.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)).Append('.').Append(frac).Append(offset).Append(' ');
        sb.Append(e.Type).Append(' ').Append(e.Action).Append(' ').Append(e.Actor.ID);
        if (e.Actor.Attributes is { Count: > 0 } attrs)
            sb.Append(" (").Append(string.Join(", ", attrs.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => a.Key + "=" + a.Value))).Append(')');
        return sb.ToString();
    }
}
