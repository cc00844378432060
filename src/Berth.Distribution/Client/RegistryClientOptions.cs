namespace Berth.Distribution;

/// <summary>A username and password for one registry; or an identity token (an OAuth2 refresh token), with or without them.</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>Exchanged for access tokens with <c>grant_type=refresh_token</c>; the password, if any, is the fallback.</summary>
    public string? IdentityToken { get; init; }

    // Never print secrets: a record's generated ToString would.
    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}

/// <summary>Settings of a <see cref="RegistryClient"/>.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>
    /// Registries (<c>host[:port]</c>, or CIDR ranges of their addresses) that may be reached over plain HTTP or with an unverified
    /// certificate; loopback hosts always may. See <see cref="Berth.Distribution.InsecureRegistries"/>.
    /// </summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; set; } = Array.Empty<string>();

    /// <summary>Credentials for a registry as the user names it (e.g. <c>docker.io</c>); null means anonymous.</summary>
    public Func<string, RegistryCredentials?>? Credentials { get; set; }

    /// <summary>Blobs larger than this are uploaded in PATCH chunks of this size; 0 uploads every blob in one PUT.</summary>
    public long ChunkSize { get; set; }

    /// <summary>How many times an interrupted blob download is resumed with a Range request.</summary>
    public int DownloadRetries { get; set; } = 3;

    public string UserAgent { get; set; } = "berth";

    /// <summary>Asks the token service for a refresh token too (<c>offline_token=true</c>), as a login does; see <see cref="RegistryClient.IdentityToken"/>.</summary>
    public bool OfflineToken { get; set; }

    /// <summary>The OAuth2 client ID sent to token services.</summary>
    public string ClientId { get; set; } = "berth";

    /// <summary>Where per-registry CA certificates live, Docker's certs.d layout: <c>&lt;dir&gt;/&lt;host:port&gt;/ca.crt</c> (any <c>*.crt</c>).</summary>
    public string? CertsDir { get; set; }

    /// <summary>Wraps the socket handler (tests use it to observe or disturb traffic).</summary>
    internal Func<HttpMessageHandler, HttpMessageHandler>? WrapHandler { get; set; }
}
