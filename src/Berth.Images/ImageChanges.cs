using System.Text;
using System.Text.Json;
using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>Applies Dockerfile-style `--change` lines (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR) to an image config, as `docker import` and `docker commit` do.</summary>
public static class ImageChanges
{
    private const string Supported = "CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR";

    public static void Apply(ContainerRunConfig config, IReadOnlyList<string> changes)
    {
        foreach (var change in changes) ApplyOne(config, change);
    }

    private static void ApplyOne(ContainerRunConfig config, string change)
    {
        string line = change.Trim();
        int sp = line.IndexOfAny([' ', '\t']);
        string instr = (sp < 0 ? line : line[..sp]).ToUpperInvariant();
        string rest = sp < 0 ? "" : line[(sp + 1)..].Trim();
        BerthException Bad(string why) => BerthException.Invalid($"invalid --change \"{change}\": {why}");
        if (instr.Length == 0) throw Bad("empty change");
        if (rest.Length == 0) throw Bad($"{instr} requires an argument");
        switch (instr)
        {
            case "CMD":
                config.Cmd = CommandForm(rest);
                break;
            case "ENTRYPOINT":
                config.Entrypoint = CommandForm(rest);
                break;
            case "ENV":
                config.Env ??= new List<string>();
                foreach (var (k, v) in Pairs(rest, allowSpaceForm: true, Bad))
                {
                    config.Env.RemoveAll(e => e == k || e.StartsWith(k + "=", StringComparison.Ordinal));
                    config.Env.Add(k + "=" + v);
                }
                break;
            case "LABEL":
                config.Labels ??= new Dictionary<string, string>();
                foreach (var (k, v) in Pairs(rest, allowSpaceForm: false, Bad)) config.Labels[k] = v;
                break;
            case "EXPOSE":
                config.ExposedPorts ??= new Dictionary<string, EmptyObject>();
                foreach (var port in Words(rest, Bad))
                {
                    string p = port.Contains('/') ? port : port + "/tcp";
                    string[] parts = p.Split('/');
                    if (parts.Length != 2 || !ushort.TryParse(parts[0], out var n) || n == 0 || parts[1] is not ("tcp" or "udp" or "sctp"))
                        throw Bad($"invalid port \"{port}\"");
                    config.ExposedPorts[p] = new EmptyObject();
                }
                break;
            case "VOLUME":
                config.Volumes ??= new Dictionary<string, EmptyObject>();
                foreach (var v in TryJsonArray(rest) ?? Words(rest, Bad))
                {
                    if (v.Length == 0) throw Bad("VOLUME specified can not be an empty string");
                    config.Volumes[v] = new EmptyObject();
                }
                break;
            case "WORKDIR":
                config.WorkingDir = rest.StartsWith('/') || string.IsNullOrEmpty(config.WorkingDir) ? (rest.StartsWith('/') ? rest : "/" + rest)
                    : config.WorkingDir.TrimEnd('/') + "/" + rest;
                break;
            case "USER":
                config.User = rest;
                break;
            case "STOPSIGNAL":
                config.StopSignal = rest;
                break;
            case "ONBUILD":
                config.OnBuild ??= new List<string>();
                config.OnBuild.Add(rest);
                break;
            default:
                throw Bad($"{instr} is not a valid change command (supported: {Supported})");
        }
    }

    /// <summary>JSON form as given; shell form runs under /bin/sh -c.</summary>
    private static List<string> CommandForm(string rest) => TryJsonArray(rest) ?? new List<string> { "/bin/sh", "-c", rest };

    private static List<string>? TryJsonArray(string rest)
    {
        if (!rest.StartsWith('[')) return null;
        try
        {
            return JsonSerializer.Deserialize(rest, ImagesJson.Default.ListString);
        }
        catch (JsonException)
        {
            return null; // Docker falls back to the shell form for malformed JSON.
        }
    }

    private static IEnumerable<(string, string)> Pairs(string rest, bool allowSpaceForm, Func<string, BerthException> bad)
    {
        var words = Words(rest, bad);
        if (allowSpaceForm && !words[0].Contains('='))
        {
            // "ENV key value with spaces"
            int sp = rest.IndexOfAny([' ', '\t']);
            if (sp < 0) throw bad("ENV needs a value");
            yield return (words[0], rest[(sp + 1)..].Trim());
            yield break;
        }
        foreach (var w in words)
        {
            int eq = w.IndexOf('=');
            if (eq <= 0) throw bad($"\"{w}\" is not key=value");
            yield return (w[..eq], w[(eq + 1)..]);
        }
    }

    /// <summary>Splits on whitespace, honouring double and single quotes and backslash escapes.</summary>
    private static List<string> Words(string text, Func<string, BerthException> bad)
    {
        var words = new List<string>();
        var cur = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                else if (c == '\\' && quote == '"' && i + 1 < text.Length) cur.Append(text[++i]);
                else cur.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(cur.ToString());
                cur.Clear();
                inWord = false;
                continue;
            }
            inWord = true;
            if (c is '"' or '\'') quote = c;
            else if (c == '\\' && i + 1 < text.Length) cur.Append(text[++i]);
            else cur.Append(c);
        }
        if (quote != '\0') throw bad("unterminated quote");
        if (inWord) words.Add(cur.ToString());
        if (words.Count == 0) throw bad("missing argument");
        return words;
    }
}
