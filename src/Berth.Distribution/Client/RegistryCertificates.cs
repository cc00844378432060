using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>CA certificates for one registry, read from a certs.d directory: <c>&lt;dir&gt;/&lt;host[:port]&gt;/*.crt</c>.</summary>
public static class RegistryCertificates
{
    /// <summary>The CAs for <paramref name="registry"/>; empty when there is no directory for it. A file that is not a
    /// certificate is an error naming it, not a silent fallback to the system's roots.</summary>
    public static X509Certificate2Collection For(string? certsDir, string registry)
    {
        var roots = new X509Certificate2Collection();
        if (string.IsNullOrEmpty(certsDir) || registry.Contains('/') || registry.Contains("..")) return roots;
        string dir = Path.Combine(certsDir, registry);
        if (!Directory.Exists(dir)) return roots;
        foreach (var file in Directory.GetFiles(dir, "*.crt").Order(StringComparer.Ordinal))
        {
            int before = roots.Count;
            try
            {
                roots.ImportFromPemFile(file);
            }
            catch (CryptographicException e)
            {
                throw BerthException.Invalid($"registry {registry}: {file} is not a PEM certificate: {e.Message}");
            }
            if (roots.Count == before) throw BerthException.Invalid($"registry {registry}: {file} holds no PEM certificate");
        }
        return roots;
    }
}
