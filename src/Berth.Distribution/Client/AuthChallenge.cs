namespace Berth.Distribution;

/// <summary>One parsed <c>WWW-Authenticate</c> challenge: a scheme (Bearer, Basic) and its parameters (realm, service, scope …).</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? this[string key] => Parameters.TryGetValue(key, out var v) ? v : null;

    /// <summary>Parses <c>Bearer realm="…",service="…",scope="repository:a:pull,push"</c>; quoted values may hold commas.</summary>
    public static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        header = header.Trim();
        int sp = header.IndexOf(' ');
        string scheme = sp < 0 ? header : header[..sp];
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = sp < 0 ? header.Length : sp + 1;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] == ' ' || header[i] == ',')) i++;
            int eq = header.IndexOf('=', i);
            if (eq < 0) break;
            string key = header[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < header.Length && header[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (i < header.Length && header[i] != '"')
                {
                    if (header[i] == '\\' && i + 1 < header.Length) i++;
                    sb.Append(header[i++]);
                }
                i++;
                value = sb.ToString();
            }
            else
            {
                int end = header.IndexOf(',', i);
                if (end < 0) end = header.Length;
                value = header[i..end].Trim();
                i = end;
            }
            parameters[key] = value;
        }
        return new AuthChallenge(scheme, parameters);
    }
}
