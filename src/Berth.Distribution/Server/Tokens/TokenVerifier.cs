using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>
/// Accepts a registry token only when its signature is by a trusted key (named by <c>kid</c>, or an <c>x5c</c> chain ending in
/// a trusted root), its issuer and audience are ours, and it is within its lifetime (60 s leeway for clock skew).
/// </summary>
internal sealed class TokenVerifier
{
    private static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);
    private static readonly string[] Algorithms = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512"];
    private readonly Dictionary<string, TokenKey> _keys = new(StringComparer.Ordinal);
    private readonly X509Certificate2Collection _roots;
    private readonly TimeProvider _time;

    public TokenVerifier(string issuer, string audience, IEnumerable<TokenKey> trusted, X509Certificate2Collection? roots = null, TimeProvider? time = null)
    {
        Issuer = issuer;
        Audience = audience;
        _roots = roots ?? new X509Certificate2Collection();
        _time = time ?? TimeProvider.System;
        foreach (var key in trusted)
        {
            _keys[key.KeyId] = key;
            _keys[key.Thumbprint] = key;
        }
        foreach (var cert in _roots)
            if (TokenKey.FromCertificate(cert) is { } key)
            {
                _keys.TryAdd(key.KeyId, key);
                _keys.TryAdd(key.Thumbprint, key);
            }
    }

    public string Issuer { get; }
    public string Audience { get; }

    /// <summary>Reads every certificate of a PEM bundle; a file without one is an error naming it.</summary>
    public static X509Certificate2Collection LoadBundle(string path)
    {
        var certs = new X509Certificate2Collection();
        try
        {
            certs.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw BerthException.Invalid($"token certificate bundle {path}: {e.Message}");
        }
        if (certs.Count == 0) throw BerthException.Invalid($"token certificate bundle {path} holds no PEM certificate");
        return certs;
    }

    /// <summary>The claims of a valid token; anything else is a <see cref="TokenInvalidException"/> saying what is wrong.</summary>
    public TokenClaims Verify(string raw)
    {
        var token = JsonWebToken.Decode(raw);
        if (!Algorithms.Contains(token.Algorithm, StringComparer.Ordinal))
            throw new TokenInvalidException($"signing algorithm \"{token.Algorithm}\" is not accepted");
        var key = SigningKey(token);
        if (!key.Verify(token.Algorithm, token.SignedPart, token.Signature)) throw new TokenInvalidException("bad signature");
        var claims = token.Claims;
        if (claims.Issuer != Issuer) throw new TokenInvalidException($"issuer \"{claims.Issuer}\" is not the trusted issuer");
        if (!claims.Audience.Contains(Audience, StringComparer.Ordinal)) throw new TokenInvalidException($"token is meant for another audience than \"{Audience}\"");
        var now = _time.GetUtcNow();
        if (now > claims.Expires + Leeway) throw new TokenInvalidException($"token expired at {claims.Expires:u}");
        if (claims.NotBefore != DateTimeOffset.MinValue && now < claims.NotBefore - Leeway) throw new TokenInvalidException($"token is not valid before {claims.NotBefore:u}");
        return claims;
    }

    private TokenKey SigningKey(JsonWebToken token)
    {
        if (token.X5c.Count > 0) return ChainKey(token.X5c);
        if (token.KeyId != null)
            return _keys.TryGetValue(token.KeyId, out var key) ? key : throw new TokenInvalidException($"token signed by an untrusted key \"{token.KeyId}\"");
        if (token.HasJwk) throw new TokenInvalidException("token names its key only by \"jwk\", which is not accepted");
        throw new TokenInvalidException("token header names no signing key (kid or x5c)");
    }

    /// <summary>The leaf key of an x5c chain that ends in one of the bundle's roots.</summary>
    private TokenKey ChainKey(IReadOnlyList<string> x5c)
    {
        if (_roots.Count == 0) throw new TokenInvalidException("token carries an x5c chain but no root certificates are configured");
        var certs = new List<X509Certificate2>();
        try
        {
            foreach (var b64 in x5c) certs.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(b64)));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            certs.ForEach(c => c.Dispose());
            throw new TokenInvalidException("token x5c holds a malformed certificate");
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(certs.Skip(1).ToArray());
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        bool ok = chain.Build(certs[0]);
        var leaf = certs[0];
        foreach (var c in certs.Skip(1)) c.Dispose();
        if (!ok)
        {
            string why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()));
            leaf.Dispose();
            throw new TokenInvalidException("token x5c chain is not trusted: " + why);
        }
        var key = TokenKey.FromCertificate(leaf);
        leaf.Dispose();
        return key ?? throw new TokenInvalidException("token x5c leaf holds neither an ECDSA nor an RSA key");
    }
}
