using Microsoft.AspNetCore.Http;

namespace Berth.Distribution;

/// <summary>Decides whether a /v2 request may proceed: htpasswd Basic auth, or Bearer tokens.</summary>
internal interface IRegistryGate
{
    /// <summary>Returns when the request may proceed; otherwise sets the challenge header and throws a 401 <see cref="RegistryError"/>.</summary>
    void Admit(HttpContext ctx, RegistryRoute route);

    /// <summary>True when the admitted request may also read <paramref name="repository"/> (a cross-repository mount's source).</summary>
    bool MayPull(HttpContext ctx, string repository);
}

/// <summary>htpasswd Basic auth: any user of the file may do anything.</summary>
internal sealed class BasicGate(HtpasswdFile users) : IRegistryGate
{
    public void Admit(HttpContext ctx, RegistryRoute route)
    {
        if (users.Authorize(ctx.Request.Headers.Authorization)) return;
        ctx.Response.Headers.WWWAuthenticate = "Basic realm=\"berth-registry\"";
        throw new RegistryError(401, "UNAUTHORIZED", "authentication required");
    }

    public bool MayPull(HttpContext ctx, string repository) => true;
}

/// <summary>The access a /v2 request needs in a token: pull to read, pull and push to write, delete to delete.</summary>
internal static class RequiredAccess
{
    /// <summary>Null for the base endpoint, which needs only a valid token.</summary>
    public static TokenAccess? For(RegistryRoute route, string method) => (route.Kind, method) switch
    {
        (RouteKind.Base, _) => null,
        (RouteKind.Catalog, _) => new TokenAccess("registry", "catalog", ["*"]),
        (RouteKind.Blob or RouteKind.Manifest, "DELETE") => new TokenAccess("repository", route.Name, ["delete"]),
        (RouteKind.Blob or RouteKind.Manifest or RouteKind.TagsList or RouteKind.Referrers, "GET" or "HEAD") => new TokenAccess("repository", route.Name, ["pull"]),
        _ => new TokenAccess("repository", route.Name, ["pull", "push"]),
    };
}
