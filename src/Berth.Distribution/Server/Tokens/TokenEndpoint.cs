using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Berth.Distribution;

/// <summary>
/// The built-in token issuer's endpoint (<c>/token</c>): checks the caller against the htpasswd users, grants per
/// <see cref="AccessPolicy"/> and answers with a signed access token (and a refresh token when offline access is asked).
/// </summary>
internal sealed class TokenEndpoint(TokenIssuer issuer, HtpasswdFile users, AccessPolicy policy)
{
    private const int MaxFormBytes = 64 * 1024;

    public async Task HandleAsync(HttpContext ctx)
    {
        ctx.Response.Headers.CacheControl = "no-store";
        try
        {
            var request = ctx.Request.Method switch
            {
                "GET" => TokenRequest.FromQuery(ctx.Request.QueryString.Value ?? "", ctx.Request.Headers.Authorization.FirstOrDefault()),
                "POST" => TokenRequest.FromForm(await ReadFormAsync(ctx).ConfigureAwait(false)),
                _ => throw RegistryError.Unsupported($"{ctx.Request.Method} is not supported on the token endpoint (GET or POST)"),
            };
            if (request.Service != null && request.Service != issuer.Service)
                throw new RegistryError(400, "UNSUPPORTED", $"invalid token request: this issuer serves \"{issuer.Service}\", not \"{request.Service}\"");
            var (user, refresh) = Authenticate(ctx, request);
            var granted = policy.Grant(user, request.Scopes);
            var (token, issuedAt, lifetime) = issuer.Issue(user ?? "", granted);
            await WriteAsync(ctx, request, token, issuedAt, lifetime, granted, refresh).ConfigureAwait(false);
        }
        catch (RegistryError e)
        {
            await RegistryEndpoints.WriteErrorAsync(ctx, e.Status, e.Code, e.Message, e.Detail).ConfigureAwait(false);
        }
    }

    /// <summary>The authenticated user (null: anonymous) and the refresh token to hand back, if any.</summary>
    private (string? User, string? Refresh) Authenticate(HttpContext ctx, TokenRequest request)
    {
        switch (request.Grant)
        {
            case TokenGrant.Basic when request.Username == null:
                return (null, null);
            case TokenGrant.Basic or TokenGrant.Password:
                // Basic headers go through the file's cache of accepted values: a pull asks for a token per repository.
                bool ok = request.Grant == TokenGrant.Basic
                    ? users.UserOf(ctx.Request.Headers.Authorization.FirstOrDefault()) == request.Username
                    : users.Verify(request.Username!, request.Password!);
                if (!ok)
                {
                    if (request.Grant == TokenGrant.Basic) ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"berth-registry\"";
                    throw new RegistryError(401, "UNAUTHORIZED", "incorrect username or password");
                }
                if (request.Account != null && request.Account != request.Username)
                    throw new RegistryError(400, "UNSUPPORTED", $"invalid token request: account \"{request.Account}\" is not the authenticated user");
                return (request.Username, request.Offline ? issuer.IssueRefresh(request.Username!, users.HashOf(request.Username!)!) : null);
            default:
                string user;
                string? stamp;
                try
                {
                    (user, stamp) = issuer.ReadRefresh(request.RefreshToken!);
                }
                catch (TokenInvalidException e)
                {
                    throw new RegistryError(401, "UNAUTHORIZED", "invalid refresh token: " + e.Message);
                }
                // A removed user or a changed password retires the refresh tokens issued before.
                if (users.HashOf(user) is not { } hash || stamp != TokenIssuer.Stamp(hash))
                    throw new RegistryError(401, "UNAUTHORIZED", "refresh token is no longer valid; log in again");
                return (user, request.RefreshToken);
        }
    }

    private static async Task<string> ReadFormAsync(HttpContext ctx)
    {
        if (ctx.Request.ContentType?.Split(';')[0].Trim() is not "application/x-www-form-urlencoded")
            throw new RegistryError(415, "UNSUPPORTED", "invalid token request: POST needs an application/x-www-form-urlencoded body");
        if (ctx.Request.ContentLength > MaxFormBytes) throw new RegistryError(413, "SIZE_INVALID", $"token request body is larger than {MaxFormBytes} bytes");
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, n);
            if (buffer.Length > MaxFormBytes) throw new RegistryError(413, "SIZE_INVALID", $"token request body is larger than {MaxFormBytes} bytes");
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static async Task WriteAsync(HttpContext ctx, TokenRequest request, string token, DateTimeOffset issuedAt, TimeSpan lifetime,
        List<TokenAccess> granted, string? refresh)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            // GET answers in the token spec's shape (token, with access_token for OAuth2 clients); POST in OAuth2's.
            if (request.Grant == TokenGrant.Basic) w.WriteString("token", token);
            w.WriteString("access_token", token);
            if (request.Grant != TokenGrant.Basic)
            {
                w.WriteString("token_type", "Bearer");
                w.WriteString("scope", string.Join(' ', granted.Select(g => g.ToString())));
            }
            w.WriteNumber("expires_in", (int)lifetime.TotalSeconds);
            w.WriteString("issued_at", issuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            if (refresh != null) w.WriteString("refresh_token", refresh);
            w.WriteEndObject();
        }
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = buffer.Length;
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted).ConfigureAwait(false);
    }
}
