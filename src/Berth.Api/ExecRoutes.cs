using Berth.Core.EngineApi;
using Berth.Engine;

namespace Berth.Api;

/// <summary>The exec endpoints.</summary>
public static class ExecRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var c = engine.Containers;
        var json = EngineApiJson.Default;
        app.MapPost("/containers/{id}/exec", async (HttpContext ctx, string id) =>
        {
            var req = await ApiJson.Read(ctx, json.ExecCreateRequest, () => new ExecCreateRequest());
            await ApiJson.Write(ctx, new IdResponse { Id = c.ExecCreate(id, req) }, json.IdResponse, 201);
        });
        app.MapPost("/exec/{id}/start", async (HttpContext ctx, string id) =>
        {
            var req = await ApiJson.Read(ctx, json.ExecStartRequest, () => new ExecStartRequest());
            var exec = c.GetExec(id);
            bool tty = req.Tty || exec.Request.Tty;
            var inner = await c.ExecStartAsync(id, req.Detach, tty, ctx.RequestAborted);
            if (inner == null)
            {
                ctx.Response.StatusCode = 200;
                return;
            }
            var outer = await Hijack.OpenAsync(ctx, tty);
            await Hijack.BridgeAsync(outer, inner, CancellationToken.None);
        });
        app.MapPost("/exec/{id}/resize", async (HttpContext ctx, string id) =>
        {
            await c.ExecResizeAsync(id, ApiJson.QueryInt(ctx, "h") ?? 0, ApiJson.QueryInt(ctx, "w") ?? 0, ctx.RequestAborted);
            ctx.Response.StatusCode = 200;
        });
        app.MapGet("/exec/{id}/json", async (HttpContext ctx, string id) =>
            await ApiJson.Write(ctx, await c.ExecInspectAsync(id, ctx.RequestAborted), json.ExecInspectResponse));
    }
}
