using System.Text;
using System.Text.Json;
using Berth.Cli.Output;
using Berth.Client;

namespace Berth.Cli.Commands;

/// <summary>docker inspect, docker container inspect, docker image inspect: a JSON array indented by 4, or --format per object.</summary>
internal static class InspectCommand
{
    public static Task<int> AnyAsync(CommandContext ctx) => RunAsync(ctx, ctx.Flags.String("type"));

    public static Task<int> ContainerAsync(CommandContext ctx) => RunAsync(ctx, "container");

    public static Task<int> ImageAsync(CommandContext ctx) => RunAsync(ctx, "image");

    private static async Task<int> RunAsync(CommandContext ctx, string? type)
    {
        if (type is not (null or "" or "container" or "image" or "volume" or "network"))
            throw new Parsing.UsageException($"\"{type}\" is not a valid value for --type");
        var found = new List<JsonDocument>();
        var errors = new List<string>();
        foreach (var name in ctx.Args)
        {
            var doc = await FindAsync(ctx.Client, name, type, ctx.Flags.Bool("size")).ConfigureAwait(false);
            if (doc != null) found.Add(doc);
            else errors.Add(type switch { "container" => "Error: No such container: ", "image" => "Error: No such image: ", "volume" => "Error: No such volume: ", "network" => "Error: No such network: ", _ => "Error: No such object: " } + name);
        }
        string? format = ctx.Flags.String("format");
        if (string.IsNullOrEmpty(format) || format == "json")
        {
            ctx.Out.WriteLine(Array(found));
        }
        else
        {
            var template = GoTemplate.Parse(format);
            foreach (var doc in found) ctx.Out.WriteLine(template.Execute(doc.RootElement));
        }
        foreach (var d in found) d.Dispose();
        await ctx.Out.FlushAsync().ConfigureAwait(false);
        foreach (var e in errors) ctx.Err.WriteLine(e);
        return errors.Count > 0 ? 1 : 0;
    }

    private static async Task<JsonDocument?> FindAsync(EngineClient client, string name, string? type, bool size)
    {
        if (type is null or "" or "container")
        {
            try { return await client.InspectContainerRawAsync(name, size).ConfigureAwait(false); }
            catch (EngineApiException e) when (e.StatusCode == 404) { }
        }
        if (type is null or "" or "image")
        {
            try { return await client.InspectImageRawAsync(name).ConfigureAwait(false); }
            catch (EngineApiException e) when (e.StatusCode == 404) { }
        }
        if (type is null or "" or "network")
        {
            try { return await client.InspectNetworkRawAsync(name).ConfigureAwait(false); }
            catch (EngineApiException e) when (e.StatusCode is 404 or 501) { }
        }
        if (type is null or "" or "volume")
        {
            try { return await client.InspectVolumeRawAsync(name).ConfigureAwait(false); }
            catch (EngineApiException e) when (e.StatusCode is 404 or 501) { }
        }
        return null;
    }

    /// <summary>The objects as one JSON array indented by 4 spaces; "[]" when empty, as docker prints it.</summary>
    public static string Array(IReadOnlyList<JsonDocument> docs)
    {
        if (docs.Count == 0) return "[]";
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions
        {
            Indented = true,
            IndentSize = 4,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            w.WriteStartArray();
            foreach (var d in docs) d.RootElement.WriteTo(w);
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
