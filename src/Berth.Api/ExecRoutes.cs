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
            var exec = c.GetExec(id);
            if (ctx.Request.Headers.TryGetValue(UnixConnection.UpgradeBodyHeader, out var bodyLength))
            {
                // The body of this upgrade request comes first in the upgraded stream (see UnixConnection).
                c.CheckExecStartable(id);
                var upgraded = await Hijack.OpenAsync(ctx, exec.Request.Tty);
                var body = new byte[Math.Min(int.Parse(bodyLength!), 1 << 20)];
                await upgraded.ReadExactlyAsync(body);
                var startReq = System.Text.Json.JsonSerializer.Deserialize(body, json.ExecStartRequest) ?? new ExecStartRequest();
                await StartAttached(c, id, upgraded, startReq.Tty || exec.Request.Tty);
                return;
            }
            var req = await ApiJson.Read(ctx, json.ExecStartRequest, () => new ExecStartRequest());
            bool tty = req.Tty || exec.Request.Tty;
            if (req.Detach)
            {
                await c.ExecStartAsync(id, detach: true, tty, ctx.RequestAborted);
                ctx.Response.StatusCode = 200;
                return;
            }
            // Upgrade before starting so the client sees all output; half-closed clients must not cancel the start.
            c.CheckExecStartable(id);
            var outer = await Hijack.OpenAsync(ctx, tty);
            await StartAttached(c, id, outer, tty);
        });
        app.MapPost("/exec/{id}/resize", async (HttpContext ctx, string id) =>
        {
            await c.ExecResizeAsync(id, ApiJson.QueryInt(ctx, "h") ?? 0, ApiJson.QueryInt(ctx, "w") ?? 0, ctx.RequestAborted);
            ctx.Response.StatusCode = 200;
        });
        app.MapGet("/exec/{id}/json", async (HttpContext ctx, string id) =>
            await ApiJson.Write(ctx, await c.ExecInspectAsync(id, ctx.RequestAborted), json.ExecInspectResponse));
    }

    private static async Task StartAttached(Engine.Containers.ContainerService c, string id, Stream outer, bool tty)
    {
        Stream? inner;
        try
        {
            inner = await c.ExecStartAsync(id, detach: false, tty, CancellationToken.None);
        }
        catch (Exception e)
        {
            await outer.WriteAsync(System.Text.Encoding.UTF8.GetBytes(e.Message + "\n"));
            await outer.DisposeAsync();
            return;
        }
        if (inner == null) { await outer.DisposeAsync(); return; }
        await Hijack.BridgeAsync(outer, inner, CancellationToken.None);
    }
}
