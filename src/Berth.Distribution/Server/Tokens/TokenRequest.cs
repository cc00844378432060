using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Berth.Distribution;

/// <summary>How a token request proves who asks: Basic credentials or none (GET), or an OAuth2 grant (POST).</summary>
internal enum TokenGrant
{
    Basic,
    Password,
    RefreshToken,
}

/// <summary>
/// A parsed request to the token endpoint: <c>GET /token?service&amp;scope&amp;account&amp;offline_token</c> with optional Basic
/// credentials, or <c>POST /token</c> with an urlencoded OAuth2 form (<c>grant_type=password|refresh_token</c>).
/// </summary>
internal sealed record TokenRequest(
    TokenGrant Grant, string? Service, IReadOnlyList<TokenAccess> Scopes, string? Account, bool Offline, string? ClientId,
    string? Username, string? Password, string? RefreshToken)
{
    /// <summary>Parses a GET query string; <paramref name="authorization"/> is the request's Authorization header, if any.</summary>
    public static TokenRequest FromQuery(string query, string? authorization)
    {
        var q = QueryHelpers.ParseQuery(query);
        string? user = null, password = null;
        if (!string.IsNullOrEmpty(authorization))
        {
            var pair = HtpasswdFile.ParseBasic(authorization) ?? throw Bad("the Authorization header is not Basic user:password");
            (user, password) = pair;
        }
        string? offline = One(q, "offline_token");
        if (offline is not (null or "true" or "false")) throw Bad($"offline_token must be true or false, not \"{offline}\"");
        return new TokenRequest(TokenGrant.Basic, One(q, "service"), ParseScopes(q), One(q, "account"), offline == "true", One(q, "client_id"), user, password, null);
    }

    /// <summary>Parses an <c>application/x-www-form-urlencoded</c> POST body.</summary>
    public static TokenRequest FromForm(string body)
    {
        var f = QueryHelpers.ParseQuery(body);
        string grantType = One(f, "grant_type") ?? throw Bad("grant_type is required (password or refresh_token)");
        string clientId = One(f, "client_id") ?? throw Bad("client_id is required");
        var scopes = ParseScopes(f);
        string? service = One(f, "service");
        switch (grantType)
        {
            case "password":
                string user = One(f, "username") ?? throw Bad("grant_type=password needs username");
                string password = One(f, "password") ?? throw Bad("grant_type=password needs password");
                string? accessType = One(f, "access_type");
                if (accessType is not (null or "offline" or "online")) throw Bad($"access_type must be offline or online, not \"{accessType}\"");
                return new TokenRequest(TokenGrant.Password, service, scopes, null, accessType == "offline", clientId, user, password, null);
            case "refresh_token":
                string refresh = One(f, "refresh_token") ?? throw Bad("grant_type=refresh_token needs refresh_token");
                return new TokenRequest(TokenGrant.RefreshToken, service, scopes, null, true, clientId, null, null, refresh);
            default:
                throw Bad($"unsupported grant_type \"{grantType}\" (password or refresh_token)");
        }
    }

    private static List<TokenAccess> ParseScopes(Dictionary<string, StringValues> values)
    {
        try
        {
            return TokenAccess.ParseScopes(values.TryGetValue("scope", out var s) ? s : StringValues.Empty);
        }
        catch (FormatException e)
        {
            throw Bad(e.Message);
        }
    }

    private static string? One(Dictionary<string, StringValues> values, string name)
    {
        if (!values.TryGetValue(name, out var v) || v.Count == 0) return null;
        if (v.Count > 1) throw Bad($"{name} is given {v.Count} times");
        return string.IsNullOrEmpty(v[0]) ? null : v[0];
    }

    private static RegistryError Bad(string message) => new(400, "UNSUPPORTED", "invalid token request: " + message);
}
