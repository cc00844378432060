using System.Text.Json;
using Berth.Core;
using Microsoft.AspNetCore.Http.Features;

namespace Berth.Api;

/// <summary>Turns exceptions into Docker's JSON error shape, <c>{"message": "…"}</c>, with the matching status code.</summary>
public static class ErrorMapping
{
    public static int StatusFor(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => 400,
        ErrorKind.Unauthorized => 401,
        ErrorKind.Forbidden => 403,
        ErrorKind.NotFound => 404,
        ErrorKind.Conflict => 409,
        ErrorKind.FailedPrecondition => 409,
        ErrorKind.NotImplemented => 501,
        _ => 500,
    };

    public static async Task Handle(HttpContext ctx, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (Exception ex) when (!ctx.RequestAborted.IsCancellationRequested || ex is not OperationCanceledException)
        {
            (int status, string message) = ex switch
            {
                BerthException be => (StatusFor(be.Kind), be.Message),
                JsonException je => (400, "invalid JSON in request body: " + je.Message),
                BadHttpRequestException bad => (bad.StatusCode, bad.Message),
                OperationCanceledException => (499, "request canceled"),
                _ => (500, ex.GetType().Name + ": " + ex.Message),
            };
            if (status == 500) DaemonLog.Error($"{ctx.Request.Method} {ctx.Request.Path}: {ex}");
            if (ctx.Response.HasStarted || ctx.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } && ctx.Response.StatusCode == 101)
                return;
            ctx.Response.Clear();
            ctx.Response.StatusCode = status;
            await ApiJson.WriteError(ctx, message);
        }
    }
}
