using System.Security.Cryptography;

namespace Berth.Distribution;

/// <summary>
/// The built-in token issuer's signing side: short-lived access tokens for the registry (audience = the service), and
/// long-lived refresh tokens (Docker's identity tokens) whose audience no registry accepts, redeemable only here.
/// </summary>
internal sealed class TokenIssuer
{
    public static readonly TimeSpan AccessLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RefreshLifetime = TimeSpan.FromDays(90);
    private readonly TokenKey _key;
    private readonly TimeProvider _time;
    private readonly TokenVerifier _refresh;

    public TokenIssuer(TokenKey key, string issuer, string service, TimeProvider? time = null)
    {
        _key = key;
        _time = time ?? TimeProvider.System;
        Issuer = issuer;
        Service = service;
        _refresh = new TokenVerifier(issuer, RefreshAudience, [key], time: _time);
    }

    public string Issuer { get; }
    public string Service { get; }
    public TokenKey Key => _key;
    private string RefreshAudience => "refresh:" + Service;

    /// <summary>An access token granting <paramref name="access"/> to <paramref name="subject"/> ("" for anonymous).</summary>
    public (string Token, DateTimeOffset IssuedAt, TimeSpan Lifetime) Issue(string subject, IReadOnlyList<TokenAccess> access)
    {
        var now = _time.GetUtcNow();
        var claims = new TokenClaims(Issuer, subject, [Service], now + AccessLifetime, now, now, NewId(), access);
        return (JsonWebToken.Encode(_key, claims), now, AccessLifetime);
    }

    /// <summary>A refresh token for <paramref name="user"/>, bound to their current password hash.</summary>
    public string IssueRefresh(string user, string passwordHash)
    {
        var now = _time.GetUtcNow();
        var claims = new TokenClaims(Issuer, user, [RefreshAudience], now + RefreshLifetime, now, now, NewId(), [])
        {
            PasswordStamp = Stamp(passwordHash),
        };
        return JsonWebToken.Encode(_key, claims);
    }

    /// <summary>The user a refresh token was issued to; throws <see cref="TokenInvalidException"/> for anything not issued here.</summary>
    public (string User, string? Stamp) ReadRefresh(string raw)
    {
        var claims = _refresh.Verify(raw);
        if (claims.Subject.Length == 0) throw new TokenInvalidException("refresh token names no user");
        return (claims.Subject, claims.PasswordStamp);
    }

    public static string Stamp(string passwordHash) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(passwordHash)))[..16];

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
