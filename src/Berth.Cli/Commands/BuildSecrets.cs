using System.Text;
using System.Text.Json;

namespace Berth.Cli.Commands;

/// <summary>berth build --secret: reads each secret on the client and packs them into Berth's X-Berth-Build-Secrets header.</summary>
internal static class BuildSecrets
{
    // BuildKit refuses secrets over 500 KiB too; a header that size still fits the daemon's request limits.
    private const int MaxSize = 500 * 1024;

    /// <summary>The header value for the given --secret values (id=ID[,src=FILE|,env=VAR][,type=file|env]); null when there are none.</summary>
    public static string? Header(IReadOnlyList<string> specs)
    {
        if (specs.Count == 0) return null;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (string spec in specs)
            {
                var (id, content) = Read(spec);
                json.WriteString(id, Convert.ToBase64String(content));
            }
            json.WriteEndObject();
        }
        return Convert.ToBase64String(buffer.ToArray());
    }

    private static (string Id, byte[] Content) Read(string spec)
    {
        string? id = null, src = null, env = null, type = null;
        foreach (string field in spec.Split(','))
        {
            int eq = field.IndexOf('=');
            string key = eq < 0 ? field : field[..eq], value = eq < 0 ? "" : field[(eq + 1)..];
            switch (key.ToLowerInvariant())
            {
                case "id": id = value; break;
                case "src" or "source": src = value; break;
                case "env": env = value; break;
                case "type": type = value; break;
                default: throw new CommandFailedException(1, $"invalid --secret {spec}: unexpected key '{key}' (use id=ID,src=FILE or id=ID,env=VAR)");
            }
        }
        if (string.IsNullOrEmpty(id)) throw new CommandFailedException(1, $"invalid --secret {spec}: id is required");
        if (type == "env" && src != null) (env, src) = (src, null);
        if (src == null && env == null)
        {
            if (Environment.GetEnvironmentVariable(id) != null) env = id;
            else src = id;
        }
        byte[] content;
        if (env != null)
        {
            content = Encoding.UTF8.GetBytes(Environment.GetEnvironmentVariable(env)
                ?? throw new CommandFailedException(1, $"--secret {spec}: environment variable {env} is not set"));
        }
        else
        {
            var info = new FileInfo(src!);
            if (!info.Exists) throw new CommandFailedException(1, $"--secret {spec}: cannot read {src}: no such file");
            if (info.Length > MaxSize) throw new CommandFailedException(1, $"--secret {spec}: {src} is larger than {MaxSize / 1024} KiB");
            content = File.ReadAllBytes(src!);
        }
        return (id, content);
    }
}
