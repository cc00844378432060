using Microsoft.AspNetCore.Http;

namespace Berth.Distribution;

/// <summary>
/// Bearer token auth (the Docker token spec): a request needs a token, valid per <see cref="TokenVerifier"/>, whose access
/// covers what the request does; else 401 with a challenge naming the realm, service and scope to ask the issuer for.
/// </summary>
internal sealed class TokenGate(TokenVerifier verifier, string? realm) : IRegistryGate
{
    private const string ClaimsKey = "berth.token.claims";

    public void Admit(HttpContext ctx, RegistryRoute route)
    {
        var needed = RequiredAccess.For(route, ctx.Request.Method);
        string header = ctx.Request.Headers.Authorization.FirstOrDefault() ?? "";
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
            throw Challenge(ctx, needed, null, new RegistryError(401, "UNAUTHORIZED", "authentication required"));
        TokenClaims claims;
        try
        {
            claims = verifier.Verify(header[7..].Trim());
        }
        catch (TokenInvalidException e)
        {
            throw Challenge(ctx, needed, "invalid_token", new RegistryError(401, "UNAUTHORIZED", "invalid token", e.Message));
        }
        if (needed != null)
            foreach (var action in needed.Actions)
                if (!claims.Allows(needed.Type, needed.Name, action))
                    throw Challenge(ctx, needed, "insufficient_scope",
                        new RegistryError(401, "DENIED", "requested access to the resource is denied", $"the token does not grant {action} on {needed.Type} {needed.Name}"));
        ctx.Items[ClaimsKey] = claims;
    }

    public bool MayPull(HttpContext ctx, string repository) =>
        ctx.Items[ClaimsKey] is TokenClaims claims && claims.Allows("repository", repository, "pull");

    private RegistryError Challenge(HttpContext ctx, TokenAccess? needed, string? error, RegistryError e)
    {
        string realmUrl = realm ?? $"{ctx.Request.Scheme}://{ctx.Request.Host}/token";
        string value = $"Bearer realm=\"{realmUrl}\",service=\"{verifier.Audience}\"";
        if (needed != null) value += $",scope=\"{needed}\"";
        if (error != null) value += $",error=\"{error}\"";
        ctx.Response.Headers.WWWAuthenticate = value;
        return e;
    }
}
