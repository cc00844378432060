using System.Text.Json;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine;

namespace Berth.Api;

/// <summary>The /images endpoints; image names contain slashes, so the path is split by hand.</summary>
public static class ImageRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        var images = engine.Images;
        var json = EngineApiJson.Default;

        app.MapGet("/images/json", async ctx =>
            await ApiJson.Write(ctx, images.List(ApiJson.QueryBool(ctx, "all"), FilterArgs.Parse(ApiJson.Query(ctx, "filters")), ApiJson.QueryBool(ctx, "digests")).ToList(), json.ListImageSummary));
        app.MapPost("/images/prune", async ctx =>
            await ApiJson.Write(ctx, images.Prune(FilterArgs.Parse(ApiJson.Query(ctx, "filters"))), json.ImagePruneResponse));
        app.MapGet("/images/get", async ctx =>
        {
            var names = ctx.Request.Query["names"].Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).ToList();
            if (names.Count == 0) throw BerthException.Invalid("names is required");
            await Save(ctx, images, names);
        });
        app.MapPost("/images/load", async ctx =>
        {
            bool quiet = ApiJson.QueryBool(ctx, "quiet");
            var messages = images.Load(ctx.Request.Body);
            ctx.Response.ContentType = "application/json";
            foreach (var m in messages)
                await WriteMessage(ctx, new JsonMessage { Stream = m + "\n" });
            _ = quiet;
        });
        app.MapPost("/images/create", async ctx =>
        {
            string? fromSrc = ApiJson.Query(ctx, "fromSrc");
            string? fromImage = ApiJson.Query(ctx, "fromImage");
            if (fromSrc == "-")
            {
                var changes = ctx.Request.Query["changes"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
                string id = images.Import(ctx.Request.Body, ApiJson.Query(ctx, "repo"), ApiJson.Query(ctx, "tag"), changes, ApiJson.Query(ctx, "message"));
                ctx.Response.ContentType = "application/json";
                await WriteMessage(ctx, new JsonMessage { Status = id });
                return;
            }
            if (fromSrc != null) throw new BerthException(ErrorKind.NotImplemented, "importing from a URL is not available in this version of Berth");
            if (fromImage != null)
            {
                await DistributionRoutes.PullAsync(ctx, images, fromImage);
                return;
            }
            throw BerthException.Invalid("fromImage or fromSrc is required");
        });
        app.MapPost("/berth/images/bootstrap", async ctx =>
        {
            var res = images.Bootstrap(ApiJson.Query(ctx, "busybox") ?? "/bin/busybox", ApiJson.Query(ctx, "tag") ?? "busybox:latest");
            await ApiJson.Write(ctx, res, json.IdResponse, 201);
        });
        app.MapMethods("/images/{**rest}", ["GET", "POST", "DELETE"], async (HttpContext ctx, string rest) =>
        {
            string method = ctx.Request.Method;
            if (HttpMethods.IsDelete(method))
            {
                var res = images.Delete(rest, ApiJson.QueryBool(ctx, "force"), ApiJson.QueryBool(ctx, "noprune"));
                await ApiJson.Write(ctx, res.ToList(), json.ListImageDeleteResponseItem);
                return;
            }
            int slash = rest.LastIndexOf('/');
            if (slash <= 0) throw BerthException.NotFound($"page not found: {method} /images/{rest}");
            string name = rest[..slash], action = rest[(slash + 1)..];
            switch (method, action)
            {
                case ("GET", "json"):
                    await ApiJson.Write(ctx, images.Inspect(name), json.ImageInspect);
                    break;
                case ("GET", "history"):
                    await ApiJson.Write(ctx, images.History(name).ToList(), json.ListHistoryResponseItem);
                    break;
                case ("GET", "get"):
                    await Save(ctx, images, [name]);
                    break;
                case ("POST", "tag"):
                    images.Tag(name, ApiJson.Query(ctx, "repo") ?? throw BerthException.Invalid("repo is required"), ApiJson.Query(ctx, "tag"));
                    ctx.Response.StatusCode = 201;
                    break;
                case ("POST", "push"):
                    await DistributionRoutes.PushAsync(ctx, images, name);
                    break;
                default:
                    throw BerthException.NotFound($"page not found: {method} /images/{rest}");
            }
        });
    }

    private static async Task Save(HttpContext ctx, Engine.Images.ImageService images, List<string> names)
    {
        images.CheckExist(names);
        ctx.Response.ContentType = "application/x-tar";
        await ctx.Response.StartAsync();
        images.Save(names, ctx.Response.Body);
    }

    private static async Task WriteMessage(HttpContext ctx, JsonMessage m)
    {
        await JsonSerializer.SerializeAsync(ctx.Response.Body, m, EngineApiJson.Default.JsonMessage, ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }
}
