using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Cli.Registry;

/// <summary>
/// Docker's client config (<c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>): registry credentials in
/// <c>auths</c> (base64 user:password), or in the credential helper named by <c>credHelpers</c> or <c>credsStore</c>.
/// Fields Berth does not know are kept as they are.
/// </summary>
internal sealed class DockerConfigFile
{
    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root)
    {
        FilePath = path;
        _root = root;
    }

    public string FilePath { get; }

    public static string Directory =>
        Environment.GetEnvironmentVariable("DOCKER_CONFIG") is { Length: > 0 } d ? d
            : System.IO.Path.Combine(Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : "/root", ".docker");

    public static DockerConfigFile Load()
    {
        string path = System.IO.Path.Combine(Directory, "config.json");
        if (!File.Exists(path)) return new DockerConfigFile(path, new JsonObject());
        try
        {
            return new DockerConfigFile(path, JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? new JsonObject());
        }
        catch (JsonException e)
        {
            throw new CommandFailedException(1, $"loading config file {path}: {e.Message}");
        }
    }

    /// <summary>The credentials stored for a registry (as image references name it), or null.</summary>
    public AuthConfig? Get(string registry)
    {
        string key = RegistryAddress.ConfigKey(registry);
        if (HelperFor(registry) is { } helper)
        {
            var (ok, output) = RunHelper(helper, "get", key);
            if (!ok) return null; // the helper has nothing for this server
            var found = JsonNode.Parse(output);
            string? user = (string?)found?["Username"], secret = (string?)found?["Secret"];
            if (string.IsNullOrEmpty(secret)) return null;
            return user == "<token>"
                ? new AuthConfig { IdentityToken = secret, ServerAddress = key }
                : new AuthConfig { Username = user, Password = secret, ServerAddress = key };
        }
        if (_root["auths"] is not JsonObject auths) return null;
        foreach (var (name, value) in auths)
        {
            if (!SameRegistry(name, registry) || value is not JsonObject entry) continue;
            var auth = new AuthConfig { ServerAddress = name, IdentityToken = (string?)entry["identitytoken"] };
            if ((string?)entry["auth"] is { Length: > 0 } b64)
            {
                string pair = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
                int colon = pair.IndexOf(':');
                if (colon > 0) (auth.Username, auth.Password) = (pair[..colon], pair[(colon + 1)..]);
            }
            return auth;
        }
        return null;
    }

    /// <summary>
    /// Every registry's credentials, by the address config.json names it with (what <c>docker build</c> sends as X-Registry-Config):
    /// <c>auths</c> entries that hold some, then those of <c>credsStore</c> (its <c>list</c>) and of each <c>credHelpers</c> entry,
    /// which take precedence.
    /// </summary>
    public Dictionary<string, AuthConfig> All()
    {
        var all = new Dictionary<string, AuthConfig>(StringComparer.Ordinal);
        if (_root["auths"] is JsonObject auths)
            foreach (var (name, value) in auths)
            {
                string registry;
                try { registry = RegistryAddress.Normalize(name); }
                catch (BerthException) { continue; }
                if (value is not JsonObject entry || HelperFor(registry) != null
                    || ((string?)entry["auth"] is not { Length: > 0 } && (string?)entry["identitytoken"] is not { Length: > 0 }))
                    continue;
                try
                {
                    if (Get(registry) is { } auth) all[name] = auth;
                }
                catch (FormatException)
                {
                    throw new CommandFailedException(1, $"loading config file {FilePath}: the \"auth\" of {name} is not base64");
                }
            }
        var helped = new List<string>();
        if ((string?)_root["credsStore"] is { Length: > 0 } store)
        {
            var (ok, output) = RunHelper(store, "list", "");
            if (!ok) throw new CommandFailedException(1, $"listing the credentials of docker-credential-{store}: {output.Trim()}");
            if (JsonNode.Parse(output) is JsonObject listed) helped.AddRange(listed.Select(p => p.Key));
        }
        if (_root["credHelpers"] is JsonObject helpers) helped.AddRange(helpers.Select(p => p.Key));
        foreach (var name in helped.Distinct(StringComparer.Ordinal))
        {
            string registry;
            try { registry = RegistryAddress.Normalize(name); }
            catch (BerthException) { continue; }
            if (Get(registry) is { } auth) all[name] = auth;
        }
        return all;
    }

    /// <summary>
    /// Keeps a login: the password, or, when the registry gave an identity token, that token and no password (as docker does:
    /// <c>auth</c> holds "user:" beside <c>identitytoken</c>; a credential helper gets the user "&lt;token&gt;").
    /// </summary>
    public void Store(string registry, string username, string password, string? identityToken = null)
    {
        string key = RegistryAddress.ConfigKey(registry);
        var auths = _root["auths"] as JsonObject ?? (JsonObject)(_root["auths"] = new JsonObject());
        if (!string.IsNullOrEmpty(identityToken)) password = "";
        if (HelperFor(registry) is { } helper)
        {
            var (user, secret) = string.IsNullOrEmpty(identityToken) ? (username, password) : ("<token>", identityToken);
            string request = new JsonObject { ["ServerURL"] = key, ["Username"] = user, ["Secret"] = secret }.ToJsonString();
            var (ok, output) = RunHelper(helper, "store", request);
            if (!ok) throw new CommandFailedException(1, $"error storing credentials in docker-credential-{helper}: {output.Trim()}");
            auths[key] = new JsonObject();
        }
        else
        {
            var entry = new JsonObject { ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(username + ":" + password)) };
            if (!string.IsNullOrEmpty(identityToken)) entry["identitytoken"] = identityToken;
            auths[key] = entry;
        }
        Save();
    }

    /// <summary>Removes a registry's credentials; false when there were none.</summary>
    public bool Erase(string registry)
    {
        bool found = false;
        if (_root["auths"] is JsonObject auths)
            foreach (var name in auths.Select(p => p.Key).Where(n => SameRegistry(n, registry)).ToList())
                found |= auths.Remove(name);
        if (HelperFor(registry) is { } helper) found |= RunHelper(helper, "erase", RegistryAddress.ConfigKey(registry)).Ok;
        if (found) Save();
        return found;
    }

    private static bool SameRegistry(string configKey, string registry)
    {
        try
        {
            return RegistryAddress.Normalize(configKey) == registry;
        }
        catch (BerthException)
        {
            return false;
        }
    }

    private string? HelperFor(string registry)
    {
        if (_root["credHelpers"] is JsonObject helpers)
            foreach (var (name, value) in helpers)
                if (SameRegistry(name, registry) && (string?)value is { Length: > 0 } h) return h;
        return (string?)_root["credsStore"] is { Length: > 0 } store ? store : null;
    }

    /// <summary>Runs <c>docker-credential-NAME verb</c> with <paramref name="input"/> on stdin.</summary>
    private static (bool Ok, string Output) RunHelper(string name, string verb, string input)
    {
        var psi = new ProcessStartInfo("docker-credential-" + name, verb)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new CommandFailedException(1, $"credential helper docker-credential-{name} (configured in {System.IO.Path.Combine(Directory, "config.json")}): {e.Message}");
        }
        using (p)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode == 0, p.ExitCode == 0 ? stdout.Result : stdout.Result + stderr);
        }
    }

    private void Save()
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        string tmp = FilePath + ".tmp-" + Environment.ProcessId;
        using (var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            using var w = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
            _root.WriteTo(w);
        }
        File.Move(tmp, FilePath, overwrite: true);
    }
}
