namespace Berth.Distribution;

/// <summary>Settings of a <see cref="RegistryServer"/>.</summary>
public sealed class RegistryServerOptions
{
    /// <summary>Storage root (blobs, repositories, uploads).</summary>
    public string Root { get; set; } = "";

    /// <summary><c>host:port</c> to listen on; port 0 picks a free one (see <see cref="RegistryServer.BaseAddress"/>).</summary>
    public string Address { get; set; } = "127.0.0.1:5000";

    /// <summary>An htpasswd file with bcrypt entries; null turns authentication off.</summary>
    public string? HtpasswdFile { get; set; }

    /// <summary>PEM certificate and key; both set turns TLS on.</summary>
    public string? TlsCertFile { get; set; }
    public string? TlsKeyFile { get; set; }
}
