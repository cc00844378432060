using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Berth.Distribution.Tests;

/// <summary>Issuing and verifying registry tokens: every way a token can be wrong is refused with a reason.</summary>
public class TokenJwtTests
{
    private static readonly TokenAccess Pull = new("repository", "team/app", ["pull"]);

    internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static (TokenIssuer Issuer, TokenVerifier Verifier, FixedTime Time) Pair(TokenKey? key = null)
    {
        key ??= TokenKey.Generate();
        var time = new FixedTime(DateTimeOffset.UtcNow);
        return (new TokenIssuer(key, "iss-a", "svc-a", time), new TokenVerifier("iss-a", "svc-a", [key], time: time), time);
    }

    private static string Reason(TokenVerifier v, string token) => Assert.Throws<TokenInvalidException>(() => v.Verify(token)).Message;

    private static string Segment(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void AGoodTokenVerifiesWithItsClaims()
    {
        var (issuer, verifier, _) = Pair();
        var (token, issuedAt, lifetime) = issuer.Issue("alice", [Pull]);
        var claims = verifier.Verify(token);
        Assert.Equal(("iss-a", "alice", "svc-a"), (claims.Issuer, claims.Subject, claims.Audience.Single()));
        Assert.True(claims.Allows("repository", "team/app", "pull"));
        Assert.False(claims.Allows("repository", "team/app", "push"));
        Assert.False(claims.Allows("repository", "team/other", "pull"));
        Assert.Equal(issuedAt.ToUnixTimeSeconds() + (long)lifetime.TotalSeconds, claims.Expires.ToUnixTimeSeconds());
        Assert.Equal(32, claims.Id.Length);
        // One audience is a plain string, as distribution 2.8 reads it.
        Assert.Contains("\"aud\":\"svc-a\"", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.Split('.')[1])));
    }

    [Fact]
    public void RsaKeysSignRs256()
    {
        using var dir = new TempDir();
        using var rsa = RSA.Create(2048);
        File.WriteAllText(dir.Sub("k.pem"), rsa.ExportRSAPrivateKeyPem());
        var key = TokenKey.LoadPrivate(dir.Sub("k.pem"));
        Assert.Equal("RS256", key.Algorithm);
        var (issuer, verifier, _) = Pair(key);
        Assert.True(verifier.Verify(issuer.Issue("u", [Pull]).Token).Allows("repository", "team/app", "pull"));
    }

    [Fact]
    public void ExpiredAndNotYetValidTokensAreRefused()
    {
        var (issuer, verifier, time) = Pair();
        string token = issuer.Issue("alice", [Pull]).Token;
        var start = time.Now;
        time.Now = start + TokenIssuer.AccessLifetime + TimeSpan.FromSeconds(30); // inside the 60 s leeway
        verifier.Verify(token);
        time.Now = start + TokenIssuer.AccessLifetime + TimeSpan.FromMinutes(2);
        Assert.Contains("expired", Reason(verifier, token));
        time.Now = start - TimeSpan.FromMinutes(5);
        Assert.Contains("not valid before", Reason(verifier, token));
    }

    [Fact]
    public void WrongAudienceOrIssuerIsRefused()
    {
        var key = TokenKey.Generate();
        var (issuer, _, _) = Pair(key);
        string token = issuer.Issue("alice", [Pull]).Token;
        Assert.Contains("audience", Reason(new TokenVerifier("iss-a", "svc-b", [key]), token));
        Assert.Contains("issuer", Reason(new TokenVerifier("iss-b", "svc-a", [key]), token));
    }

    [Fact]
    public void ASignatureByAnotherKeyIsRefused()
    {
        var (_, verifier, _) = Pair();
        var (stranger, _, _) = Pair();
        string token = stranger.Issue("alice", [Pull]).Token;
        Assert.Contains("untrusted key", Reason(verifier, token));

        // The trusted key's ID in the header does not make another key's signature good.
        var trusted = TokenKey.Generate();
        var parts = token.Split('.');
        string header = Segment($"{{\"typ\":\"JWT\",\"alg\":\"ES256\",\"kid\":\"{trusted.KeyId}\"}}");
        Assert.Equal("bad signature", Reason(new TokenVerifier("iss-a", "svc-a", [trusted]), header + "." + parts[1] + "." + parts[2]));
    }

    [Fact]
    public void ATamperedPayloadIsRefused()
    {
        var (issuer, verifier, _) = Pair();
        var parts = issuer.Issue("alice", [Pull]).Token.Split('.');
        string claims = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[1])).Replace("\"pull\"", "\"push\"");
        Assert.Equal("bad signature", Reason(verifier, parts[0] + "." + Segment(claims) + "." + parts[2]));
        var sig = Base64Url.DecodeFromChars(parts[2]);
        sig[0] ^= 1;
        Assert.Equal("bad signature", Reason(verifier, parts[0] + "." + parts[1] + "." + Base64Url.EncodeToString(sig)));
    }

    [Fact]
    public void AlgNoneAndOtherAlgorithmsAreRefused()
    {
        var key = TokenKey.Generate();
        var (issuer, verifier, _) = Pair(key);
        var parts = issuer.Issue("alice", [Pull]).Token.Split('.');
        string none = Segment($"{{\"alg\":\"none\",\"kid\":\"{key.KeyId}\"}}");
        Assert.Contains("\"none\" is not accepted", Reason(verifier, none + "." + parts[1] + "."));
        string hs = Segment($"{{\"alg\":\"HS256\",\"kid\":\"{key.KeyId}\"}}");
        Assert.Contains("\"HS256\" is not accepted", Reason(verifier, hs + "." + parts[1] + "." + parts[2]));
        // An ECDSA key never verifies an RSA algorithm, whatever the header claims.
        string rs = Segment($"{{\"alg\":\"RS256\",\"kid\":\"{key.KeyId}\"}}");
        Assert.Equal("bad signature", Reason(verifier, rs + "." + parts[1] + "." + parts[2]));
    }

    [Theory]
    [InlineData("", "segments")]
    [InlineData("a.b", "2 dot-separated segments")]
    [InlineData("a.b.c.d", "4 dot-separated segments")]
    [InlineData("!!.e30.", "header is not base64url")]
    [InlineData("e30=.e30.", "header is not base64url")]
    [InlineData("bm90IGpzb24.e30.", "header is not JSON")]
    [InlineData("W10.e30.", "header is not a JSON object")]
    [InlineData("e30.e30.", "no \"alg\"")]
    public void MalformedTokensAreNamedAsSuch(string token, string reason)
    {
        var (_, verifier, _) = Pair();
        Assert.Contains(reason, Reason(verifier, token));
    }

    [Fact]
    public void MalformedClaimsAreNamed()
    {
        var key = TokenKey.Generate();
        var (_, verifier, _) = Pair(key);
        string header = Segment($"{{\"alg\":\"ES256\",\"kid\":\"{key.KeyId}\"}}");
        Assert.Contains("\"exp\" is missing", Reason(verifier, header + "." + Segment("{\"iss\":\"iss-a\"}") + ".AA"));
        Assert.Contains("\"aud\"", Reason(verifier, header + "." + Segment("{\"exp\":1,\"aud\":7}") + ".AA"));
        Assert.Contains("\"access\" is not a list", Reason(verifier, header + "." + Segment("{\"exp\":1,\"access\":{}}") + ".AA"));
        Assert.Contains("claims are not JSON", Reason(verifier, header + "." + Segment("{") + ".AA"));
        Assert.Contains("names no signing key", Reason(verifier, Segment("{\"alg\":\"ES256\"}") + "." + Segment("{\"exp\":1}") + ".AA"));
        Assert.Contains("longer than", Reason(verifier, new string('a', JsonWebToken.MaxLength + 1)));
    }

    [Fact]
    public void ATokenWithoutTheNeededAccessGrantsNothing()
    {
        var (issuer, verifier, _) = Pair();
        var claims = verifier.Verify(issuer.Issue("alice", []).Token);
        Assert.Empty(claims.Access);
        Assert.False(claims.Allows("repository", "team/app", "pull"));
    }

    [Fact]
    public void KeysAreNamedByLibtrustIdAndFoundByThumbprintToo()
    {
        var key = TokenKey.Generate();
        var groups = key.KeyId.Split(':');
        Assert.Equal(12, groups.Length);
        Assert.All(groups, g => Assert.Matches("^[A-Z2-7]{4}$", g));
        Assert.Equal(43, key.Thumbprint.Length);

        // A token whose kid is the RFC 7638 thumbprint (newer distribution issuers) is found too.
        var (issuer, verifier, _) = Pair(key);
        var parts = issuer.Issue("a", [Pull]).Token.Split('.');
        string header = Segment($"{{\"alg\":\"ES256\",\"kid\":\"{key.Thumbprint}\"}}");
        string signed = header + "." + parts[1];
        string token = signed + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signed)));
        Assert.Equal("a", verifier.Verify(token).Subject);
    }

    [Fact]
    public void AnX5cChainMustEndInABundleRoot()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=token CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = new CertificateRequest("CN=token signer", leafKey, HashAlgorithmName.SHA256)
            .Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3]);

        var claims = Segment($"{{\"iss\":\"iss-a\",\"aud\":\"svc-a\",\"sub\":\"x\",\"exp\":{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()},\"access\":[]}}");
        string header = Segment($"{{\"alg\":\"ES256\",\"x5c\":[\"{Convert.ToBase64String(leaf.RawData)}\"]}}");
        string signed = header + "." + claims;
        string token = signed + "." + Base64Url.EncodeToString(leafKey.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256));

        var trusting = new TokenVerifier("iss-a", "svc-a", [], new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(ca.RawData)));
        Assert.Equal("x", trusting.Verify(token).Subject);

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = new CertificateRequest("CN=other CA", otherKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var stranger = new TokenVerifier("iss-a", "svc-a", [], new X509Certificate2Collection(X509CertificateLoader.LoadCertificate(other.RawData)));
        Assert.Contains("x5c chain is not trusted", Reason(stranger, token));
        Assert.Contains("malformed certificate", Reason(trusting, Segment("{\"alg\":\"ES256\",\"x5c\":[\"AAAA\"]}") + "." + claims + ".AA"));
    }

    [Fact]
    public void RefreshTokensAreNoAccessTokensAndViceVersa()
    {
        var key = TokenKey.Generate();
        var (issuer, verifier, _) = Pair(key);
        string refresh = issuer.IssueRefresh("alice", "$2y$hash");
        Assert.Contains("audience", Reason(verifier, refresh));
        Assert.Equal(("alice", TokenIssuer.Stamp("$2y$hash")), issuer.ReadRefresh(refresh));
        Assert.Throws<TokenInvalidException>(() => issuer.ReadRefresh(issuer.Issue("alice", [Pull]).Token));
    }

    [Fact]
    public void SigningKeysLoadFromPemAndBadOnesAreNamed()
    {
        using var dir = new TempDir();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.WriteAllText(dir.Sub("ec.pem"), ec.ExportECPrivateKeyPem());
        Assert.Equal("ES384", TokenKey.LoadPrivate(dir.Sub("ec.pem")).Algorithm);
        File.WriteAllText(dir.Sub("pkcs8.pem"), ec.ExportPkcs8PrivateKeyPem());
        Assert.Equal("ES384", TokenKey.LoadPrivate(dir.Sub("pkcs8.pem")).Algorithm);
        File.WriteAllText(dir.Sub("pub.pem"), ec.ExportSubjectPublicKeyInfoPem());
        Assert.Contains("public key", Assert.Throws<Berth.Core.BerthException>(() => TokenKey.LoadPrivate(dir.Sub("pub.pem"))).Message);
        File.WriteAllText(dir.Sub("junk.pem"), "not a key");
        Assert.Contains("junk.pem", Assert.Throws<Berth.Core.BerthException>(() => TokenKey.LoadPrivate(dir.Sub("junk.pem"))).Message);
        Assert.Contains("absent.pem", Assert.Throws<Berth.Core.BerthException>(() => TokenKey.LoadPrivate(dir.Sub("absent.pem"))).Message);
    }
}
