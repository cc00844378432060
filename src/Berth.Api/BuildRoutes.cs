using System.Text.Json;
using System.Threading.Channels;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine;
using Berth.Engine.Build;

namespace Berth.Api;

/// <summary>POST /build: a tar context in, Docker's stream of JSON messages out ({"stream"}, then {"aux":{"ID"}} or an error).</summary>
public static class BuildRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        app.MapPost("/build/prune", async ctx =>
            await ApiJson.Write(ctx, engine.Builder.PruneCache(), EngineApiJson.Default.BuildCachePruneResponse));
        app.MapPost("/build", async ctx =>
        {
            var request = ParseRequest(ctx);
            bool quiet = ApiJson.QueryBool(ctx, "q");
            // The context is spooled to disk first: it can be large, and the builder reads it synchronously.
            string spool = Path.Combine(engine.Paths.TmpDir, "context-" + Guid.NewGuid().ToString("N") + ".tar");
            try
            {
                await using (var fs = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                    await ctx.Request.Body.CopyToAsync(fs, ctx.RequestAborted);
                ctx.Response.ContentType = "application/json";
                await ctx.Response.StartAsync(ctx.RequestAborted);
                var messages = Channel.CreateUnbounded<JsonMessage>(new UnboundedChannelOptions { SingleReader = true });
                var build = Task.Run(async () =>
                {
                    await using var context = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                    return await engine.Builder.BuildAsync(request, context, m =>
                    {
                        if (!quiet) messages.Writer.TryWrite(m);
                    }, ctx.RequestAborted);
                });
                _ = build.ContinueWith(_ => messages.Writer.TryComplete(), TaskScheduler.Default);
                await foreach (var m in messages.Reader.ReadAllAsync(ctx.RequestAborted)) await Write(ctx, m);
                JsonMessage last;
                try
                {
                    string id = await build;
                    using var aux = JsonDocument.Parse("{\"ID\":\"" + id + "\"}");
                    last = new JsonMessage { Aux = aux.RootElement.Clone() };
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    last = new JsonMessage { Error = e.Message, ErrorDetail = new ErrorDetail { Message = e.Message } };
                }
                await Write(ctx, last);
            }
            finally
            {
                File.Delete(spool);
            }
        });
    }

    private static BuildRequest ParseRequest(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        return new BuildRequest
        {
            Dockerfile = string.IsNullOrEmpty(ApiJson.Query(ctx, "dockerfile")) ? "Dockerfile" : ApiJson.Query(ctx, "dockerfile")!,
            Tags = q["t"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList(),
            BuildArgs = JsonMap(ApiJson.Query(ctx, "buildargs"), "buildargs"),
            Labels = JsonMap(ApiJson.Query(ctx, "labels"), "labels").Where(kv => kv.Value != null).ToDictionary(kv => kv.Key, kv => kv.Value!),
            Target = ApiJson.Query(ctx, "target"),
            NoCache = ApiJson.QueryBool(ctx, "nocache"),
            Pull = ApiJson.QueryBool(ctx, "pull"),
            RegistryAuths = RegistryConfig(ctx),
            NetworkMode = string.IsNullOrEmpty(ApiJson.Query(ctx, "networkmode")) ? "default" : ApiJson.Query(ctx, "networkmode")!,
            ExplainCache = ApiJson.QueryBool(ctx, "berthexplaincache"),
            StepTimings = ApiJson.QueryBool(ctx, "berthtimings"),
            Secrets = Secrets(ctx),
        };
    }

    /// <summary>
    /// X-Berth-Build-Secrets: base64 of a JSON object of secret ID → base64 content, Berth's own header (Docker's classic
    /// POST /build carries no secrets). Only Berth's CLI sends it, over the daemon's local socket.
    /// </summary>
    private static Dictionary<string, byte[]> Secrets(HttpContext ctx)
    {
        var secrets = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? header = ctx.Request.Headers["X-Berth-Build-Secrets"];
        if (string.IsNullOrWhiteSpace(header)) return secrets;
        try
        {
            string json = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header.Trim()));
            foreach (var (id, value) in JsonMap(json, "X-Berth-Build-Secrets"))
                secrets[id] = Convert.FromBase64String(value ?? "");
        }
        catch (FormatException e)
        {
            throw BerthException.Invalid("invalid X-Berth-Build-Secrets header: " + e.Message);
        }
        return secrets;
    }

    /// <summary>X-Registry-Config: base64url of a JSON object of auth configurations by registry address, as the docker CLI sends it.</summary>
    private static Dictionary<string, AuthConfig> RegistryConfig(HttpContext ctx)
    {
        var auths = new Dictionary<string, AuthConfig>(StringComparer.Ordinal);
        string? header = ctx.Request.Headers["X-Registry-Config"];
        if (string.IsNullOrWhiteSpace(header)) return auths;
        string b64 = header.Trim().Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        try
        {
            using var doc = JsonDocument.Parse(Convert.FromBase64String(b64));
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw BerthException.Invalid("invalid X-Registry-Config header: not a JSON object");
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.Deserialize(EngineApiJson.Default.AuthConfig) is { } auth) auths[p.Name] = auth;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw BerthException.Invalid("invalid X-Registry-Config header: " + e.Message);
        }
        return auths;
    }

    private static Dictionary<string, string?> JsonMap(string? json, string name)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(json)) return map;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw BerthException.Invalid($"{name} must be a JSON object");
            foreach (var p in doc.RootElement.EnumerateObject())
                map[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
        }
        catch (JsonException e)
        {
            throw BerthException.Invalid($"{name} is not valid JSON: {e.Message}");
        }
        return map;
    }

    private static async Task Write(HttpContext ctx, JsonMessage m)
    {
        await JsonSerializer.SerializeAsync(ctx.Response.Body, m, EngineApiJson.Default.JsonMessage, ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }
}
