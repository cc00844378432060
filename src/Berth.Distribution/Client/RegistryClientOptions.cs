namespace Berth.Distribution;

/// <summary>A username and password (or identity token as password) for one registry.</summary>
public sealed record RegistryCredentials(string Username, string Password);

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

    /// <summary>Where per-registry CA certificates live, Docker's certs.d layout: <c>&lt;dir&gt;/&lt;host:port&gt;/ca.crt</c> (any <c>*.crt</c>).</summary>
    public string? CertsDir { get; set; }

    /// <summary>Wraps the socket handler (tests use it to observe or disturb traffic).</summary>
    internal Func<HttpMessageHandler, HttpMessageHandler>? WrapHandler { get; set; }
}
