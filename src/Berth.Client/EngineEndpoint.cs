using System.Net;
using System.Net.Sockets;

namespace Berth.Client;

/// <summary>Where the daemon listens: a unix socket path or a TCP address, parsed from unix:// or tcp:// URLs.</summary>
public sealed record EngineEndpoint(string Url, EndPoint Address, bool IsUnix)
{
    /// <summary>The default socket, unix:///run/berth/berth.sock (or $BERTH_RUN/berth.sock).</summary>
    public static EngineEndpoint Default => Parse("unix://" + Berth.Core.BerthPaths.Default.Socket);

    /// <summary>True when neither BERTH_HOST nor DOCKER_HOST chose the endpoint (the CLI may then start the daemon itself).</summary>
    public bool IsDefault { get; init; }

    /// <summary>BERTH_HOST, else DOCKER_HOST when it is a unix:// or tcp:// URL, else the default socket.</summary>
    public static EngineEndpoint FromEnvironment()
    {
        string? host = Environment.GetEnvironmentVariable("BERTH_HOST");
        if (string.IsNullOrEmpty(host)) host = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (string.IsNullOrEmpty(host)) return Default with { IsDefault = true };
        return Parse(host);
    }

    /// <summary>Parses unix:///path, tcp://host:port or a bare absolute socket path.</summary>
    public static EngineEndpoint Parse(string url)
    {
        if (url.StartsWith('/')) url = "unix://" + url;
        if (url.StartsWith("unix://", StringComparison.Ordinal))
        {
            string path = url["unix://".Length..];
            if (path.Length == 0) throw new ArgumentException($"invalid host \"{url}\": empty socket path");
            return new EngineEndpoint(url, new UnixDomainSocketEndPoint(path), true);
        }
        if (url.StartsWith("tcp://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal))
        {
            string rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            int colon = rest.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], out int port) || port is <= 0 or > 65535)
                throw new ArgumentException($"invalid host \"{url}\": expected tcp://host:port");
            string host = rest[..colon].Trim('[', ']');
            EndPoint ep = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
            return new EngineEndpoint(url, ep, false);
        }
        throw new ArgumentException($"invalid host \"{url}\": only unix:// and tcp:// are supported");
    }
}
