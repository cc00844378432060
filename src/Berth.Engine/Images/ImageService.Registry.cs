using System.Text;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Distribution;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>Registries (<c>host[:port]</c> or CIDR ranges) reached with TLS unverified, else plain HTTP, besides loopback ones (daemon <c>--insecure-registry</c>).</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; set; } = Array.Empty<string>();

    /// <summary>Per-registry CA certificates, Docker's certs.d layout (daemon <c>--registry-certs-dir</c>, default /etc/berth/certs.d).</summary>
    public string? RegistryCertsDir { get; set; } = "/etc/berth/certs.d";

    /// <summary>A registry client for one request, with the credentials the client sent (X-Registry-Auth or the /auth body).</summary>
    private RegistryClient NewRegistryClient(AuthConfig? auth, bool login = false)
    {
        var credentials = auth == null ? null : CredentialsOf(auth);
        return new RegistryClient(new RegistryClientOptions
        {
            InsecureRegistries = InsecureRegistries,
            CertsDir = RegistryCertsDir,
            Credentials = credentials == null ? null : _ => credentials,
            UserAgent = "berth/" + typeof(ImageService).Assembly.GetName().Version,
            OfflineToken = login,
        });
    }

    /// <summary>
    /// Credentials from an auth config: username and password (the fields, or <c>auth</c>, base64 of user:password), and the
    /// identity token (a token service's refresh token) when there is one, which is then tried first.
    /// </summary>
    public static RegistryCredentials? CredentialsOf(AuthConfig auth)
    {
        var basic = BasicOf(auth);
        if (!string.IsNullOrEmpty(auth.RegistryToken))
            throw new BerthException(ErrorKind.NotImplemented, "registry tokens (\"registrytoken\") are not supported by this version of Berth; log in with a username and password");
        if (string.IsNullOrEmpty(auth.IdentityToken)) return basic;
        return (basic ?? new RegistryCredentials(auth.Username ?? "", "")) with { IdentityToken = auth.IdentityToken };
    }

    private static RegistryCredentials? BasicOf(AuthConfig auth)
    {
        if (!string.IsNullOrEmpty(auth.Username) && !string.IsNullOrEmpty(auth.Password))
            return new RegistryCredentials(auth.Username, auth.Password);
        if (!string.IsNullOrEmpty(auth.Auth))
        {
            string pair;
            try
            {
                pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Auth));
            }
            catch (FormatException)
            {
                throw BerthException.Invalid("invalid auth configuration: \"auth\" is not base64");
            }
            int colon = pair.IndexOf(':');
            if (colon <= 0) throw BerthException.Invalid("invalid auth configuration: \"auth\" is not username:password");
            // docker's config.json keeps "user:" beside an identity token: a name without a password.
            return colon == pair.Length - 1 ? null : new RegistryCredentials(pair[..colon], pair[(colon + 1)..]);
        }
        return null;
    }

    /// <summary>
    /// POST /auth: checks the credentials against the registry; returns Docker's "Login Succeeded" and, when the registry's
    /// token service gave one, the identity token to keep instead of the password.
    /// </summary>
    public async Task<(string Status, string? IdentityToken)> LoginAsync(AuthConfig auth, CancellationToken ct)
    {
        string registry = RegistryAddress.Normalize(auth.ServerAddress);
        if (CredentialsOf(auth) == null) throw BerthException.Invalid("login needs a username and a password");
        using var client = NewRegistryClient(auth, login: true);
        try
        {
            await client.CheckLoginAsync(registry, ct).ConfigureAwait(false);
        }
        catch (BerthException e) when (e.Kind == ErrorKind.Unauthorized)
        {
            throw new BerthException(ErrorKind.Unauthorized, $"login attempt to {registry} failed: {e.Message}", e);
        }
        return ("Login Succeeded", client.IdentityToken);
    }
}
