using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution.Tests;

/// <summary>
/// A token-auth front for a test registry, as Docker Hub works: /v2 needs <c>Bearer</c> and answers 401 with a challenge
/// pointing at /token, which hands out a token (optionally only for a given user). Authorised requests are forwarded.
/// </summary>
internal sealed class TokenAuthProxy : IAsyncDisposable
{
    private const string Token = "test-token-42";
    private readonly WebApplication _app;
    private readonly HttpClient _backend;

    private TokenAuthProxy(WebApplication app, HttpClient backend, int port)
    {
        _app = app;
        _backend = backend;
        HostPort = "127.0.0.1:" + port;
    }

    public string HostPort { get; }
    public List<string> Scopes { get; } = new();
    public List<string> TokenRequests { get; } = new();

    /// <summary>With <paramref name="getOnly"/>, POST /token answers 405, as token services without OAuth2 do.</summary>
    public static async Task<TokenAuthProxy> StartAsync(Uri backend, (string User, string Password)? requireUser, bool getOnly = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = backend };
        TokenAuthProxy? self = null;
        app.Run(ctx => self!.HandleAsync(ctx, requireUser, getOnly));
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        self = new TokenAuthProxy(app, http, address.Port);
        return self;
    }

    private async Task HandleAsync(HttpContext ctx, (string User, string Password)? requireUser, bool getOnly)
    {
        if (ctx.Request.Path == "/token")
        {
            if (getOnly && ctx.Request.Method != "GET")
            {
                ctx.Response.StatusCode = 405;
                return;
            }
            string auth = ctx.Request.Headers.Authorization.ToString();
            lock (Scopes)
            {
                Scopes.Add(ctx.Request.Query["scope"].ToString());
                TokenRequests.Add(auth);
            }
            if (requireUser is { } u && auth != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(u.User + ":" + u.Password)))
            {
                ctx.Response.StatusCode = 401;
                return;
            }
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"token\":\"" + Token + "\",\"expires_in\":300}");
            return;
        }
        if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            ctx.Response.StatusCode = 401;
            ctx.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{HostPort}/token\",service=\"test-registry\",scope=\"repository:ignored:pull\"";
            return;
        }
        string target = ctx.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var req = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), target);
        if (ctx.Request.ContentLength > 0 || ctx.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(body);
            req.Content = new ByteArrayContent(body.ToArray());
        }
        else if (ctx.Request.Method is "PUT" or "PATCH" or "POST")
        {
            req.Content = new ByteArrayContent(Array.Empty<byte>());
        }
        foreach (var h in new[] { "Content-Type", "Content-Range" })
            if (ctx.Request.Headers.TryGetValue(h, out var v)) req.Content?.Headers.TryAddWithoutValidation(h, v.ToString());
        foreach (var h in new[] { "Accept", "Range" })
            if (ctx.Request.Headers.TryGetValue(h, out var v)) req.Headers.TryAddWithoutValidation(h, v.ToString());
        using var res = await _backend.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        ctx.Response.StatusCode = (int)res.StatusCode;
        foreach (var h in res.Headers.Concat(res.Content.Headers))
            if (h.Key is not ("Transfer-Encoding" or "Server" or "Date"))
                ctx.Response.Headers[h.Key] = h.Value.ToArray();
        if (ctx.Request.Method != "HEAD") await res.Content.CopyToAsync(ctx.Response.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _backend.Dispose();
    }
}
