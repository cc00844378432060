using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Runtime.Logging;

namespace Berth.Api;

/// <summary>The /containers endpoints.</summary>
public static class ContainerRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var c = engine.Containers;
        var json = EngineApiJson.Default;

        app.MapPost("/containers/create", async ctx =>
        {
            var req = await ApiJson.Read(ctx, json.ContainerCreateRequest, () => new ContainerCreateRequest());
            var res = c.Create(req, ApiJson.Query(ctx, "name"));
            await ApiJson.Write(ctx, res, json.ContainerCreateResponse, 201);
        });
        app.MapGet("/containers/json", async ctx =>
        {
            var list = c.List(ApiJson.QueryBool(ctx, "all"), ApiJson.QueryInt(ctx, "limit"), ApiJson.QueryBool(ctx, "size"), FilterArgs.Parse(ApiJson.Query(ctx, "filters")));
            await ApiJson.Write(ctx, list.ToList(), json.ListContainerSummary);
        });
        app.MapGet("/containers/{id}/json", async (HttpContext ctx, string id) =>
            await ApiJson.Write(ctx, c.Inspect(id, ApiJson.QueryBool(ctx, "size")), json.ContainerInspectResponse));
        app.MapPost("/containers/{id}/start", (HttpContext ctx, string id) =>
        {
            ctx.Response.StatusCode = c.Start(id) ? 204 : 304;
            return Task.CompletedTask;
        });
        app.MapPost("/containers/{id}/stop", async (HttpContext ctx, string id) =>
        {
            bool stopped = await c.StopAsync(id, ApiJson.QueryInt(ctx, "t"), ApiJson.Query(ctx, "signal"), ctx.RequestAborted);
            ctx.Response.StatusCode = stopped ? 204 : 304;
        });
        app.MapPost("/containers/{id}/restart", async (HttpContext ctx, string id) =>
        {
            await c.RestartAsync(id, ApiJson.QueryInt(ctx, "t"), ApiJson.Query(ctx, "signal"), ctx.RequestAborted);
            ctx.Response.StatusCode = 204;
        });
        app.MapPost("/containers/{id}/kill", (HttpContext ctx, string id) =>
        {
            c.Kill(id, ApiJson.Query(ctx, "signal"));
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapPost("/containers/{id}/wait", async (HttpContext ctx, string id) =>
        {
            var wait = c.WaitAsync(id, ApiJson.Query(ctx, "condition"), ctx.RequestAborted);
            if (wait.IsFaulted) await wait; // unknown container: a proper error status
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted); // docker run waits for these headers before it starts the container
            var res = new ContainerWaitResponse();
            try
            {
                res.StatusCode = await wait;
            }
            catch (BerthException e)
            {
                res.StatusCode = -1;
                res.Error = new ContainerWaitExitError { Message = e.Message };
            }
            await System.Text.Json.JsonSerializer.SerializeAsync(ctx.Response.Body, res, json.ContainerWaitResponse, ctx.RequestAborted);
        });
        app.MapDelete("/containers/{id}", (HttpContext ctx, string id) =>
        {
            c.Remove(id, ApiJson.QueryBool(ctx, "force"), ApiJson.QueryBool(ctx, "v"));
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapPost("/containers/{id}/rename", (HttpContext ctx, string id) =>
        {
            c.Rename(id, ApiJson.Query(ctx, "name") ?? throw BerthException.Invalid("rename: name is required"));
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapPost("/containers/prune", async ctx =>
            await ApiJson.Write(ctx, c.Prune(FilterArgs.Parse(ApiJson.Query(ctx, "filters"))), json.ContainerPruneResponse));
        app.MapPost("/containers/{id}/resize", async (HttpContext ctx, string id) =>
        {
            await c.ResizeAsync(id, ApiJson.QueryInt(ctx, "h") ?? 0, ApiJson.QueryInt(ctx, "w") ?? 0, ctx.RequestAborted);
            ctx.Response.StatusCode = 200;
        });
        app.MapGet("/containers/{id}/logs", async (HttpContext ctx, string id) =>
        {
            bool stdout = ApiJson.QueryBool(ctx, "stdout"), stderr = ApiJson.QueryBool(ctx, "stderr");
            if (!stdout && !stderr) throw BerthException.Invalid("Bad parameters: you must choose at least one stream");
            string? tail = ApiJson.Query(ctx, "tail");
            var opts = new LogReadOptions
            {
                Stdout = stdout,
                Stderr = stderr,
                Follow = ApiJson.QueryBool(ctx, "follow"),
                Timestamps = ApiJson.QueryBool(ctx, "timestamps"),
                Tail = tail is null or "all" ? null : int.TryParse(tail, out var t) && t >= 0 ? t : throw BerthException.Invalid($"invalid tail value \"{tail}\""),
                Since = ParseTime(ApiJson.Query(ctx, "since")),
                Until = ParseTime(ApiJson.Query(ctx, "until")),
            };
            bool tty = c.HasTty(id);
            ctx.Response.ContentType = tty ? Hijack.RawStream : Hijack.MultiplexedStream;
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            await c.LogsAsync(id, opts, ctx.Response.Body, ctx.RequestAborted);
        });
        app.MapPost("/containers/{id}/attach", async (HttpContext ctx, string id) =>
        {
            bool tty = c.HasTty(id);
            // Counted before the upgrade answers: docker run and start -a send their start as soon as they have the
            // stream, and a start that did not see this attach would run the process before it connects, losing output.
            // Not RequestAborted: clients half-close at once when they send no stdin, and Kestrel reports that as an abort.
            using var upgradeFailed = new CancellationTokenSource();
            var attaching = c.AttachAsync(id, ApiJson.QueryBool(ctx, "stdin"), ApiJson.QueryBool(ctx, "stdout"), ApiJson.QueryBool(ctx, "stderr"),
                ApiJson.Query(ctx, "detachKeys"), upgradeFailed.Token);
            Stream outer;
            try
            {
                outer = await Hijack.OpenAsync(ctx, tty);
            }
            catch (Exception)
            {
                // Nobody will read this attach: stop it waiting for a start, so it is not counted against the next one.
                upgradeFailed.Cancel();
                try { (await attaching).Dispose(); } catch (Exception) { /* cancelled, or the container is gone */ }
                throw;
            }
            Stream inner;
            try
            {
                inner = await attaching;
            }
            catch (Exception)
            {
                await outer.DisposeAsync();
                return;
            }
            await Hijack.BridgeAsync(outer, inner, CancellationToken.None);
        });
        ContainerFileRoutes.Map(app, engine);
    }

    /// <summary>Docker's since/until: unix seconds with optional fraction (the CLI converts durations and dates itself).</summary>
    private static DateTimeOffset? ParseTime(string? v)
    {
        if (string.IsNullOrEmpty(v) || v == "0") return null;
        return ContainerFilter.ParseUntil(v);
    }
}
