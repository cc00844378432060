namespace Berth.Core;

/// <summary>Registry addresses as users and config files write them, reduced to the names image references use.</summary>
public static class RegistryAddress
{
    /// <summary>The key docker's config.json uses for Docker Hub credentials.</summary>
    public const string DockerHubConfigKey = "https://index.docker.io/v1/";

    /// <summary>
    /// "https://host:5000/v2/" → "host:5000"; Docker Hub's addresses (https://index.docker.io/v1/, registry-1.docker.io) and
    /// an empty address → "docker.io". Throws for characters no host name has.
    /// </summary>
    public static string Normalize(string? address)
    {
        string s = (address ?? "").Trim();
        if (s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) s = s[8..];
        else if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) s = s[7..];
        int slash = s.IndexOf('/');
        if (slash >= 0) s = s[..slash];
        s = s.ToLowerInvariant();
        if (s is "" or "docker.io" or "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com") return ImageReference.DefaultRegistry;
        if (s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')))
            throw BerthException.Invalid($"invalid registry address \"{address}\"");
        return s;
    }

    /// <summary>The key config.json stores a registry's credentials under: Docker Hub's URL, else host[:port].</summary>
    public static string ConfigKey(string registry) => registry == ImageReference.DefaultRegistry ? DockerHubConfigKey : registry;
}
