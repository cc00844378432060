namespace Berth.Distribution;

/// <summary>Settings of a <see cref="RegistryServer"/>.</summary>
public sealed class RegistryServerOptions
{
    /// <summary>Storage root (blobs, repositories, uploads).</summary>
    public string Root { get; set; } = "";

    /// <summary><c>host:port</c> to listen on; port 0 picks a free one (see <see cref="RegistryServer.BaseAddress"/>).</summary>
    public string Address { get; set; } = "127.0.0.1:5000";

    /// <summary>An htpasswd file with bcrypt entries: Basic auth, or the users of the built-in token issuer; null turns Basic auth off.</summary>
    public string? HtpasswdFile { get; set; }

    /// <summary>PEM certificate and key; both set turns TLS on.</summary>
    public string? TlsCertFile { get; set; }
    public string? TlsKeyFile { get; set; }

    /// <summary>Token auth with the built-in issuer at <c>/token</c>, which grants tokens to the htpasswd users.</summary>
    public bool TokenAuth { get; set; }

    /// <summary>The token endpoint clients are sent to; set alone (without <see cref="TokenAuth"/>) it trusts an external issuer.</summary>
    public string? TokenRealm { get; set; }

    /// <summary>The service name tokens are issued for (their audience); default <c>berth-registry</c>.</summary>
    public string? TokenService { get; set; }

    /// <summary>The issuer name tokens carry; default <c>berth-token-issuer</c>.</summary>
    public string? TokenIssuer { get; set; }

    /// <summary>PEM certificates whose keys may sign tokens (required with an external issuer).</summary>
    public string? TokenCertBundle { get; set; }

    /// <summary>PEM private key (ECDSA or RSA) the built-in issuer signs with; absent, an ephemeral P-256 key is made at start.</summary>
    public string? TokenKeyFile { get; set; }

    /// <summary>With the built-in issuer: anonymous clients get pull tokens.</summary>
    public bool TokenAnonymousPull { get; set; }
}
