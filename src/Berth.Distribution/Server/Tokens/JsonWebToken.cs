using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Berth.Distribution;

/// <summary>A JWS-signed JWT in compact form (<c>header.claims.signature</c>), as registry tokens are.</summary>
internal sealed class JsonWebToken
{
    /// <summary>Tokens longer than this are refused before any decoding.</summary>
    public const int MaxLength = 16 * 1024;

    private JsonWebToken(string algorithm, string? keyId, IReadOnlyList<string> x5c, bool hasJwk, TokenClaims claims, byte[] signedPart, byte[] signature)
    {
        Algorithm = algorithm;
        KeyId = keyId;
        X5c = x5c;
        HasJwk = hasJwk;
        Claims = claims;
        SignedPart = signedPart;
        Signature = signature;
    }

    public string Algorithm { get; }
    public string? KeyId { get; }
    /// <summary>The certificate chain of the header's <c>x5c</c> (standard base64 DER, leaf first); empty when absent.</summary>
    public IReadOnlyList<string> X5c { get; }
    public bool HasJwk { get; }
    public TokenClaims Claims { get; }
    /// <summary>The ASCII bytes of <c>header.claims</c>, which the signature covers.</summary>
    public byte[] SignedPart { get; }
    public byte[] Signature { get; }

    /// <summary>Signs <paramref name="claims"/> with <paramref name="key"/>; the header names the key by its libtrust ID.</summary>
    public static string Encode(TokenKey key, TokenClaims claims)
    {
        var header = new MemoryStream();
        using (var w = new Utf8JsonWriter(header))
        {
            w.WriteStartObject();
            w.WriteString("typ", "JWT");
            w.WriteString("alg", key.Algorithm);
            w.WriteString("kid", key.KeyId);
            w.WriteEndObject();
        }
        string signed = Base64Url.EncodeToString(header.ToArray()) + "." + Base64Url.EncodeToString(claims.ToJson());
        return signed + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(signed)));
    }

    /// <summary>Splits and decodes a token without judging its signature or claims; malformed input is a <see cref="TokenInvalidException"/>.</summary>
    public static JsonWebToken Decode(string raw)
    {
        if (raw.Length > MaxLength) throw new TokenInvalidException($"token is longer than {MaxLength} characters");
        var parts = raw.Split('.');
        if (parts.Length != 3) throw new TokenInvalidException($"token has {parts.Length} dot-separated segments, not 3");
        byte[] headerBytes = Segment(parts[0], "header"), claimBytes = Segment(parts[1], "claims"), signature = Segment(parts[2], "signature");
        string algorithm;
        string? kid = null;
        var x5c = new List<string>();
        bool hasJwk;
        try
        {
            using var header = JsonDocument.Parse(headerBytes);
            var h = header.RootElement;
            if (h.ValueKind != JsonValueKind.Object) throw new TokenInvalidException("token header is not a JSON object");
            algorithm = h.TryGetProperty("alg", out var alg) && alg.ValueKind == JsonValueKind.String ? alg.GetString()! : throw new TokenInvalidException("token header has no \"alg\"");
            if (h.TryGetProperty("kid", out var k))
                kid = k.ValueKind == JsonValueKind.String ? k.GetString() : throw new TokenInvalidException("token header \"kid\" is not a string");
            if (h.TryGetProperty("x5c", out var chain))
            {
                if (chain.ValueKind != JsonValueKind.Array || chain.EnumerateArray().Any(c => c.ValueKind != JsonValueKind.String))
                    throw new TokenInvalidException("token header \"x5c\" is not a list of strings");
                x5c.AddRange(chain.EnumerateArray().Select(c => c.GetString()!));
            }
            hasJwk = h.TryGetProperty("jwk", out _);
        }
        catch (JsonException e)
        {
            throw new TokenInvalidException("token header is not JSON: " + e.Message);
        }
        TokenClaims claims;
        try
        {
            using var doc = JsonDocument.Parse(claimBytes);
            claims = TokenClaims.Parse(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new TokenInvalidException("token claims are not JSON: " + e.Message);
        }
        return new JsonWebToken(algorithm, kid, x5c, hasJwk, claims, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature);
    }

    private static byte[] Segment(string text, string what)
    {
        // Base64Url tolerates padding and whitespace; a JWT segment has neither.
        if (text.Length == 0 && what != "signature") throw new TokenInvalidException($"token {what} is empty");
        foreach (char c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                throw new TokenInvalidException($"token {what} is not base64url");
        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            throw new TokenInvalidException($"token {what} is not base64url");
        }
    }
}
