using System.Text.Json;

namespace Berth.Distribution;

/// <summary>The claims of a registry token: the registered JWT claims and the <c>access</c> list of the Docker token spec.</summary>
internal sealed record TokenClaims(
    string Issuer, string Subject, IReadOnlyList<string> Audience, DateTimeOffset Expires, DateTimeOffset NotBefore, DateTimeOffset IssuedAt,
    string Id, IReadOnlyList<TokenAccess> Access)
{
    /// <summary>A private claim of refresh tokens: a digest of the user's password hash, so a new password retires old refresh tokens.</summary>
    public string? PasswordStamp { get; init; }

    public bool Allows(string type, string name, string action) => Access.Any(a => a.Allows(type, name, action));

    public byte[] ToJson()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("iss", Issuer);
            w.WriteString("sub", Subject);
            // One audience is written as a string: distribution 2.8 reads "aud" only in that form.
            if (Audience.Count == 1) w.WriteString("aud", Audience[0]);
            else
            {
                w.WriteStartArray("aud");
                foreach (var a in Audience) w.WriteStringValue(a);
                w.WriteEndArray();
            }
            w.WriteNumber("exp", Expires.ToUnixTimeSeconds());
            w.WriteNumber("nbf", NotBefore.ToUnixTimeSeconds());
            w.WriteNumber("iat", IssuedAt.ToUnixTimeSeconds());
            w.WriteString("jti", Id);
            w.WriteStartArray("access");
            foreach (var a in Access)
            {
                w.WriteStartObject();
                w.WriteString("type", a.Type);
                w.WriteString("name", a.Name);
                w.WriteStartArray("actions");
                foreach (var action in a.Actions) w.WriteStringValue(action);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (PasswordStamp != null) w.WriteString("berth_pwd", PasswordStamp);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>Reads a claim set; a missing or mistyped claim is a <see cref="TokenInvalidException"/> naming it.</summary>
    public static TokenClaims Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new TokenInvalidException("the claims are not a JSON object");
        var audience = new List<string>();
        if (root.TryGetProperty("aud", out var aud))
        {
            if (aud.ValueKind == JsonValueKind.String) audience.Add(aud.GetString()!);
            else if (aud.ValueKind == JsonValueKind.Array && aud.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
                audience.AddRange(aud.EnumerateArray().Select(e => e.GetString()!));
            else throw new TokenInvalidException("claim \"aud\" is neither a string nor a list of strings");
        }
        var access = new List<TokenAccess>();
        if (root.TryGetProperty("access", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array) throw new TokenInvalidException("claim \"access\" is not a list");
            foreach (var e in list.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) throw new TokenInvalidException("an \"access\" entry is not an object");
                var actions = e.TryGetProperty("actions", out var acts) && acts.ValueKind == JsonValueKind.Array
                    ? acts.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToArray()
                    : Array.Empty<string>();
                access.Add(new TokenAccess(OptionalString(e, "type") ?? "", OptionalString(e, "name") ?? "", actions));
            }
        }
        return new TokenClaims(
            OptionalString(root, "iss") ?? "", OptionalString(root, "sub") ?? "", audience,
            Time(root, "exp", required: true), Time(root, "nbf", required: false), Time(root, "iat", required: false),
            OptionalString(root, "jti") ?? "", access)
        {
            PasswordStamp = OptionalString(root, "berth_pwd"),
        };
    }

    private static string? OptionalString(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new TokenInvalidException($"claim \"{name}\" is not a string");
        return v.GetString();
    }

    private static DateTimeOffset Time(JsonElement e, string name, bool required)
    {
        if (!e.TryGetProperty(name, out var v))
            return required ? throw new TokenInvalidException($"claim \"{name}\" is missing") : DateTimeOffset.MinValue;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double seconds) || seconds is < 0 or > 253402300799)
            throw new TokenInvalidException($"claim \"{name}\" is not a time in seconds");
        return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }
}

/// <summary>A token that cannot be accepted; the message says why (for the registry's own log, never a secret).</summary>
internal sealed class TokenInvalidException(string message) : Exception(message);
