using System.Security.Cryptography;

namespace Berth.Core;

/// <summary>A content digest such as <c>sha256:&lt;64 hex&gt;</c>; only sha256 is produced, sha256 and sha512 are parsed.</summary>
public readonly record struct Digest(string Algorithm, string Hex)
{
    public override string ToString() => Algorithm + ":" + Hex;

    /// <summary>The first 12 hex characters, as Docker shows short IDs.</summary>
    public string Short => Hex[..12];

    public static Digest Parse(string text)
    {
        if (!TryParse(text, out var d))
            throw BerthException.Invalid($"invalid digest \"{text}\": expected sha256:<64 lowercase hex> or sha512:<128 lowercase hex>");
        return d;
    }

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (string.IsNullOrEmpty(text)) return false;
        int colon = text.IndexOf(':');
        if (colon <= 0) return false;
        string alg = text[..colon], hex = text[(colon + 1)..];
        int want = alg switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (hex.Length != want) return false;
        foreach (char c in hex)
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        digest = new Digest(alg, hex);
        return true;
    }

    public static Digest Sha256(ReadOnlySpan<byte> data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public static Digest Sha256(Stream data) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));

    public static Digest FromHash(IncrementalHash hash) => new("sha256", Convert.ToHexStringLower(hash.GetHashAndReset()));

    /// <summary>True when <paramref name="text"/> is a 64-hex sha256 without prefix, as used for image and container IDs.</summary>
    public static bool IsHex64(string text) => TryParse("sha256:" + text, out _);
}
