using Berth.Core.EngineApi;
using Berth.Engine;

namespace Berth.Api;

/// <summary>/volumes: create, list, inspect, remove, prune; and /system/df.</summary>
public static class VolumeRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var json = EngineApiJson.Default;
        var v = engine.Volumes;
        app.MapGet("/volumes", async ctx =>
        {
            var list = v.List(FilterArgs.Parse(ApiJson.Query(ctx, "filters"))).Select(r => v.ToApi(r)).ToList();
            await ApiJson.Write(ctx, new VolumeListResponse { Volumes = list, Warnings = new() }, json.VolumeListResponse);
        });
        app.MapPost("/volumes/create", async ctx =>
        {
            var body = await ApiJson.Read(ctx, json.VolumeCreateOptions, () => new VolumeCreateOptions());
            var rec = v.Create(body.Name, body.Driver, body.DriverOpts, body.Labels);
            await ApiJson.Write(ctx, v.ToApi(rec), json.Volume, 201);
        });
        app.MapPost("/volumes/prune", async ctx =>
            await ApiJson.Write(ctx, v.Prune(FilterArgs.Parse(ApiJson.Query(ctx, "filters"))), json.VolumePruneResponse));
        app.MapGet("/volumes/{name}", async (HttpContext ctx, string name) =>
            await ApiJson.Write(ctx, v.ToApi(v.Get(name)), json.Volume));
        app.MapDelete("/volumes/{name}", (HttpContext ctx, string name) =>
        {
            v.Remove(name, ApiJson.QueryBool(ctx, "force"));
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapGet("/system/df", async ctx =>
        {
            var types = ctx.Request.Query["type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
            await ApiJson.Write(ctx, DataUsage.Compute(engine, types), json.SystemDataUsageResponse);
        });
    }
}
