using Berth.Core.EngineApi;
using Berth.Engine;

namespace Berth.Api;

/// <summary>/networks: list, inspect, create, remove, connect, disconnect, prune.</summary>
public static class NetworkRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var json = EngineApiJson.Default;
        var n = engine.Networks;
        var store = engine.Containers.Store;
        app.MapGet("/networks", async ctx =>
        {
            var list = n.List(FilterArgs.Parse(ApiJson.Query(ctx, "filters"))).Select(r => n.ToResource(r, withContainers: false)).ToList();
            await ApiJson.Write(ctx, list, json.ListNetworkResource);
        });
        app.MapPost("/networks/create", async ctx =>
        {
            var req = await ApiJson.Read(ctx, json.NetworkCreateRequest, () => new NetworkCreateRequest());
            var rec = n.Create(req);
            await ApiJson.Write(ctx, new NetworkCreateResponse { Id = rec.Id, Warning = "" }, json.NetworkCreateResponse, 201);
        });
        app.MapPost("/networks/prune", async ctx =>
            await ApiJson.Write(ctx, n.Prune(FilterArgs.Parse(ApiJson.Query(ctx, "filters"))), json.NetworkPruneResponse));
        app.MapGet("/networks/{id}", async (HttpContext ctx, string id) =>
            await ApiJson.Write(ctx, n.ToResource(n.Resolve(id), withContainers: true), json.NetworkResource));
        app.MapDelete("/networks/{id}", (HttpContext ctx, string id) =>
        {
            n.Remove(id);
            ctx.Response.StatusCode = 204;
            return Task.CompletedTask;
        });
        app.MapPost("/networks/{id}/connect", async (HttpContext ctx, string id) =>
        {
            var req = await ApiJson.Read(ctx, json.NetworkConnectRequest, () => new NetworkConnectRequest());
            n.ConnectContainer(store.Resolve(req.Container), id, req.EndpointConfig, store.Save);
            ctx.Response.StatusCode = 200;
        });
        app.MapPost("/networks/{id}/disconnect", async (HttpContext ctx, string id) =>
        {
            var req = await ApiJson.Read(ctx, json.NetworkDisconnectRequest, () => new NetworkDisconnectRequest());
            n.DisconnectContainer(store.Resolve(req.Container), id, store.Save);
            ctx.Response.StatusCode = 200;
        });
    }
}
