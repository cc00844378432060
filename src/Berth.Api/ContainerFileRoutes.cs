using System.Text.Json;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine;
using Berth.Engine.Containers;
using Berth.Storage;

namespace Berth.Api;

/// <summary>Container file and process endpoints: archive (docker cp), export, top, stats.</summary>
public static class ContainerFileRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var c = engine.Containers;
        var json = EngineApiJson.Default;

        app.MapMethods("/containers/{id}/archive", ["GET", "HEAD"], async (HttpContext ctx, string id) =>
        {
            string path = ApiJson.Query(ctx, "path") ?? throw BerthException.Invalid("path is required");
            var stat = c.WithRootfs(id, root => ContainerArchive.Stat(root, path));
            ctx.Response.Headers["X-Docker-Container-Path-Stat"] = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(stat, json.ContainerPathStat));
            if (HttpMethods.IsHead(ctx.Request.Method)) return;
            ctx.Response.ContentType = "application/x-tar";
            await ctx.Response.StartAsync();
            c.WithRootfs(id, root => { ContainerArchive.Write(root, path, ctx.Response.Body); return 0; });
        });
        app.MapPut("/containers/{id}/archive", (HttpContext ctx, string id) =>
        {
            string path = ApiJson.Query(ctx, "path") ?? throw BerthException.Invalid("path is required");
            var rec = c.Store.Resolve(id);
            if (rec.HostConfig.ReadonlyRootfs) throw BerthException.Precondition("container rootfs is marked read-only");
            c.WithRootfs(id, root => { ContainerArchive.Extract(root, path, ctx.Request.Body, ApiJson.QueryBool(ctx, "noOverwriteDirNonDir")); return 0; });
            ctx.Response.StatusCode = 200;
            return Task.CompletedTask;
        });
        app.MapGet("/containers/{id}/export", async (HttpContext ctx, string id) =>
        {
            c.Store.Resolve(id);
            ctx.Response.ContentType = "application/x-tar";
            await ctx.Response.StartAsync();
            c.WithRootfs(id, root => { DirectoryTarWriter.Write(root, ctx.Response.Body, overlayUpper: false, stayOnFileSystem: true); return 0; });
        });
        app.MapGet("/containers/{id}/top", async (HttpContext ctx, string id) =>
            await ApiJson.Write(ctx, c.Top(id, ApiJson.Query(ctx, "ps_args")), json.ContainerTopResponse));
        app.MapGet("/containers/{id}/stats", async (HttpContext ctx, string id) =>
        {
            bool stream = ApiJson.QueryBool(ctx, "stream", true);
            bool oneShot = ApiJson.QueryBool(ctx, "one-shot");
            var rec = c.Store.Resolve(id);
            ctx.Response.ContentType = "application/json";
            ContainerStatsResponse? prev = null;
            if (!stream && !oneShot && rec.State.Running)
            {
                prev = c.Stats(id, null);
                await Task.Delay(1000, ctx.RequestAborted);
            }
            do
            {
                var s = c.Stats(id, prev);
                await JsonSerializer.SerializeAsync(ctx.Response.Body, s, json.ContainerStatsResponse, ctx.RequestAborted);
                await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
                prev = s;
                if (!stream) break;
                await Task.Delay(1000, ctx.RequestAborted);
            }
            while (!ctx.RequestAborted.IsCancellationRequested && c.Store.TryResolve(id) is { State.Running: true });
        });
    }
}
