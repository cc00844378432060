using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine;
using Berth.Engine.Images;

namespace Berth.Api;

/// <summary>The registry side of the Engine API: pull (/images/create?fromImage), push, and /auth, with X-Registry-Auth.</summary>
public static class DistributionRoutes
{
    public static void Map(WebApplication app, BerthEngine engine)
    {
        app.MapPost("/auth", async ctx =>
        {
            var auth = await ApiJson.Read(ctx, EngineApiJson.Default.AuthConfig, () => throw BerthException.Invalid("a JSON auth configuration is required"));
            var (status, identityToken) = await engine.Images.LoginAsync(auth, ctx.RequestAborted);
            await ApiJson.Write(ctx, new AuthResponse { Status = status, IdentityToken = identityToken ?? "" }, EngineApiJson.Default.AuthResponse);
        });
    }

    /// <summary>POST /images/create?fromImage&amp;tag&amp;platform.</summary>
    public static Task PullAsync(HttpContext ctx, ImageService images, string fromImage)
    {
        var auth = RegistryAuth(ctx);
        return StreamAsync(ctx, emit => images.PullAsync(fromImage, ApiJson.Query(ctx, "tag"), ApiJson.Query(ctx, "platform"), auth, emit, ctx.RequestAborted));
    }

    /// <summary>POST /images/{name}/push?tag.</summary>
    public static Task PushAsync(HttpContext ctx, ImageService images, string name)
    {
        var auth = RegistryAuth(ctx);
        return StreamAsync(ctx, emit => images.PushAsync(name, ApiJson.Query(ctx, "tag"), auth, emit, ctx.RequestAborted));
    }

    /// <summary>The X-Registry-Auth header: base64url (padded or not) of a JSON auth configuration; absent or "{}" is anonymous.</summary>
    internal static AuthConfig? RegistryAuth(HttpContext ctx)
    {
        string? header = ctx.Request.Headers["X-Registry-Auth"];
        if (string.IsNullOrWhiteSpace(header)) return null;
        string b64 = header.Trim().Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
        try
        {
            var auth = JsonSerializer.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(b64)), EngineApiJson.Default.AuthConfig);
            return auth is { Username: null or "", Password: null or "", Auth: null or "", IdentityToken: null or "", RegistryToken: null or "" } ? null : auth;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw BerthException.Invalid("invalid X-Registry-Auth header: " + e.Message);
        }
    }

    /// <summary>
    /// Runs a transfer and streams its JSON messages. The response starts with the first message: a failure before it is an
    /// ordinary HTTP error; after it, Docker's {"errorDetail": …, "error": …} line ends the stream.
    /// </summary>
    private static async Task StreamAsync(HttpContext ctx, Func<Action<JsonMessage>, Task> run)
    {
        var channel = Channel.CreateUnbounded<JsonMessage>(new UnboundedChannelOptions { SingleReader = true });
        var work = Task.Run(async () =>
        {
            try
            {
                await run(m => channel.Writer.TryWrite(m));
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
        bool started = false;
        try
        {
            while (await channel.Reader.WaitToReadAsync(ctx.RequestAborted))
            {
                if (!started)
                {
                    ctx.Response.ContentType = "application/json";
                    started = true;
                }
                while (channel.Reader.TryRead(out var m)) await Write(ctx, m);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
            await work;
        }
        catch (Exception e) when (started && !ctx.RequestAborted.IsCancellationRequested)
        {
            string message = e is BerthException ? e.Message : e.GetType().Name + ": " + e.Message;
            if (e is not BerthException) DaemonLog.Error($"{ctx.Request.Method} {ctx.Request.Path}: {e}");
            await Write(ctx, new JsonMessage { Error = message, ErrorDetail = new ErrorDetail { Message = message } });
        }
        finally
        {
            // The transfer sees the same cancellation; wait for it so its cleanup is done before the request ends.
            try { await work; }
            catch (Exception) when (started || ctx.RequestAborted.IsCancellationRequested) { /* reported above */ }
        }
    }

    private static async Task Write(HttpContext ctx, JsonMessage m)
    {
        await JsonSerializer.SerializeAsync(ctx.Response.Body, m, EngineApiJson.Default.JsonMessage, ctx.RequestAborted);
        await ctx.Response.Body.WriteAsync("\n"u8.ToArray(), ctx.RequestAborted);
    }
}
