using System.Buffers.Text;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>
/// An ECDSA (ES256/384/512) or RSA (RS256) key that signs or verifies registry tokens, with the two identifiers a token
/// header may name it by: the libtrust fingerprint (distribution 2.x, most token servers) and the RFC 7638 thumbprint.
/// </summary>
internal sealed class TokenKey : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;

    private TokenKey(ECDsa? ec, RSA? rsa, bool isPrivate)
    {
        _ec = ec;
        _rsa = rsa;
        IsPrivate = isPrivate;
        byte[] spki = ec != null ? ec.ExportSubjectPublicKeyInfo() : rsa!.ExportSubjectPublicKeyInfo();
        KeyId = LibtrustId(spki);
        Thumbprint = Rfc7638Thumbprint();
        Algorithm = ec == null ? "RS256" : ec.KeySize switch
        {
            256 => "ES256",
            384 => "ES384",
            521 => "ES512",
            _ => throw BerthException.Invalid($"ECDSA keys on a {ec.KeySize}-bit curve cannot sign tokens; use P-256, P-384 or P-521"),
        };
    }

    /// <summary>The JWS algorithm this key signs with.</summary>
    public string Algorithm { get; }
    public string KeyId { get; }
    public string Thumbprint { get; }
    public bool IsPrivate { get; }

    /// <summary>A fresh P-256 key, for a server given no signing key: its tokens die with the process.</summary>
    public static TokenKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null, isPrivate: true);

    /// <summary>Reads a PEM private key (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY").</summary>
    public static TokenKey LoadPrivate(string path)
    {
        string pem;
        try { pem = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw BerthException.Invalid($"token signing key {path}: {e.Message}"); }
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            if (!HasPrivateEc(ec)) throw BerthException.Invalid($"token signing key {path} holds a public key; a private key is needed");
            return new TokenKey(ec, null, isPrivate: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            ec.Dispose();
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize < 2048) throw BerthException.Invalid($"token signing key {path}: RSA keys shorter than 2048 bits are refused");
            rsa.ExportParameters(includePrivateParameters: true);
            return new TokenKey(null, rsa, isPrivate: true);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            throw BerthException.Invalid($"token signing key {path}: no PEM ECDSA or RSA private key found ({e.Message})");
        }
    }

    /// <summary>The public key of a certificate (a root of the token certificate bundle, or an x5c leaf).</summary>
    public static TokenKey? FromCertificate(X509Certificate2 cert)
    {
        if (cert.GetECDsaPublicKey() is { } ec) return new TokenKey(ec, null, isPrivate: false);
        if (cert.GetRSAPublicKey() is { } rsa) return new TokenKey(null, rsa, isPrivate: false);
        return null;
    }

    public byte[] Sign(byte[] data)
    {
        if (!IsPrivate) throw new InvalidOperationException("a public key cannot sign");
        return _ec != null ? _ec.SignData(data, Hash(Algorithm)) : _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Checks a JWS signature made with <paramref name="algorithm"/>, which must suit this key's type and curve.</summary>
    public bool Verify(string algorithm, byte[] data, byte[] signature)
    {
        if (_ec != null)
            return algorithm == Algorithm && _ec.VerifyData(data, signature, Hash(algorithm), DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return algorithm is "RS256" or "RS384" or "RS512" && _rsa!.VerifyData(data, signature, Hash(algorithm), RSASignaturePadding.Pkcs1);
    }

    private static HashAlgorithmName Hash(string algorithm) => algorithm[2..] switch
    {
        "256" => HashAlgorithmName.SHA256,
        "384" => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    private static bool HasPrivateEc(ECDsa ec)
    {
        try { return ec.ExportParameters(includePrivateParameters: true).D != null; }
        catch (CryptographicException) { return false; }
    }

    /// <summary>libtrust's key ID: SHA-256 of the DER SubjectPublicKeyInfo, 240 bits in base32, colon-separated groups of four.</summary>
    internal static string LibtrustId(byte[] spki)
    {
        string b32 = Base32(SHA256.HashData(spki).AsSpan(0, 30));
        var sb = new StringBuilder();
        for (int i = 0; i < b32.Length; i += 4)
        {
            if (i > 0) sb.Append(':');
            sb.Append(b32, i, Math.Min(4, b32.Length - i));
        }
        return sb.ToString();
    }

    private static string Base32(ReadOnlySpan<byte> data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var sb = new StringBuilder();
        int buffer = 0, bits = 0;
        foreach (byte b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                sb.Append(alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) sb.Append(alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }

    /// <summary>RFC 7638: SHA-256 of the JWK's required members in lexicographic order, base64url.</summary>
    private string Rfc7638Thumbprint()
    {
        string json;
        if (_ec != null)
        {
            var p = _ec.ExportParameters(includePrivateParameters: false);
            string crv = Algorithm switch { "ES256" => "P-256", "ES384" => "P-384", _ => "P-521" };
            json = $"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(p.Q.X)}\",\"y\":\"{Base64Url.EncodeToString(p.Q.Y)}\"}}";
        }
        else
        {
            var p = _rsa!.ExportParameters(includePrivateParameters: false);
            json = $"{{\"e\":\"{Base64Url.EncodeToString(p.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64Url.EncodeToString(p.Modulus)}\"}}";
        }
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }
}
