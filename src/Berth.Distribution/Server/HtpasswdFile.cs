using System.Collections.Concurrent;
using System.Text;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>Basic-auth users from an htpasswd file; only bcrypt entries (<c>htpasswd -B</c>) are accepted.</summary>
public sealed class HtpasswdFile
{
    private readonly Dictionary<string, string> _users = new(StringComparer.Ordinal);
    // bcrypt is slow on purpose; remembering accepted header values keeps each request cheap after the first.
    private readonly ConcurrentDictionary<string, string> _accepted = new(StringComparer.Ordinal);

    public HtpasswdFile(string path)
    {
        string[] lines;
        try { lines = File.ReadAllLines(path); }
        catch (IOException e) { throw BerthException.Invalid($"htpasswd file {path}: {e.Message}"); }
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0) throw BerthException.Invalid($"htpasswd file {path} line {i + 1}: expected user:hash");
            string user = line[..colon], hash = line[(colon + 1)..];
            if (!IsBcrypt(hash))
                throw BerthException.Invalid($"htpasswd file {path} line {i + 1}: user \"{user}\" has a non-bcrypt hash; only bcrypt (htpasswd -B) is supported");
            _users[user] = hash;
        }
    }

    public int Count => _users.Count;

    /// <summary>Checks an <c>Authorization</c> header value.</summary>
    public bool Authorize(string? header) => UserOf(header) != null;

    /// <summary>The user whose right Basic credentials <paramref name="header"/> carries; null for anything else.</summary>
    public string? UserOf(string? header)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        if (_accepted.TryGetValue(header, out var known)) return known;
        if (ParseBasic(header) is not { } pair || !Verify(pair.User, pair.Password)) return null;
        _accepted[header] = pair.User;
        return pair.User;
    }

    /// <summary>User and password of a Basic <c>Authorization</c> value; null when it is not one.</summary>
    public static (string User, string Password)? ParseBasic(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        string decoded;
        try { decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim())); }
        catch (FormatException) { return null; }
        int colon = decoded.IndexOf(':');
        return colon <= 0 ? null : (decoded[..colon], decoded[(colon + 1)..]);
    }

    /// <summary>The stored hash of a user, or null when there is no such user.</summary>
    public string? HashOf(string user) => _users.TryGetValue(user, out var hash) ? hash : null;

    public bool Verify(string user, string password)
    {
        if (!_users.TryGetValue(user, out var hash)) return false;
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    private static bool IsBcrypt(string hash) =>
        hash.Length == 60 && (hash.StartsWith("$2a$", StringComparison.Ordinal) || hash.StartsWith("$2b$", StringComparison.Ordinal) || hash.StartsWith("$2y$", StringComparison.Ordinal));
}
