using System.Net;
using System.Security.Cryptography.X509Certificates;
using Berth.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Berth.Distribution;

/// <summary>An OCI distribution-spec registry served by Kestrel, storing under one root directory.</summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly RegistryServerOptions _options;
    private WebApplication? _app;

    public RegistryServer(RegistryServerOptions options)
    {
        if (string.IsNullOrEmpty(options.Root)) throw BerthException.Invalid("registry root directory is required");
        if ((options.TlsCertFile == null) != (options.TlsKeyFile == null))
            throw BerthException.Invalid("TLS needs both a certificate and a key file");
        _options = options;
    }

    /// <summary>The address the server listens on, with the real port (valid after <see cref="StartAsync"/>).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public async Task StartAsync(CancellationToken ct = default)
    {
        var endpoint = ParseAddress(_options.Address);
        var storage = new RegistryStorage(_options.Root);
        var (gate, tokens) = RegistryAuthSetup.Build(_options);
        X509Certificate2? cert = null;
        if (_options.TlsCertFile != null)
        {
            try
            {
                cert = X509Certificate2.CreateFromPemFile(_options.TlsCertFile, _options.TlsKeyFile);
            }
            catch (Exception e) when (e is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                throw BerthException.Invalid($"TLS certificate {_options.TlsCertFile} / key {_options.TlsKeyFile}: {e.Message}");
            }
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = Array.Empty<string>() });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null;
            k.AddServerHeader = false;
            k.Listen(endpoint, listen =>
            {
                if (cert != null) listen.UseHttps(cert);
            });
        });
        var app = builder.Build();
        var endpoints = new RegistryEndpoints(storage, gate);
        app.Run(ctx => tokens != null && ctx.Request.Path == "/token" ? tokens.HandleAsync(ctx) : endpoints.HandleAsync(ctx));
        try
        {
            await app.StartAsync(ct).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw BerthException.Invalid($"registry cannot listen on {_options.Address}: {e.Message}");
        }
        _app = app;
        string scheme = cert != null ? "https" : "http";
        var server = app.Services.GetRequiredService<IServer>();
        string? bound = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        int port = bound != null ? new Uri(bound).Port : endpoint.Port;
        string host = endpoint.Address.Equals(IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        if (endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) host = "[" + host + "]";
        BaseAddress = new Uri($"{scheme}://{host}:{port}/");
    }

    /// <summary>Blocks until <paramref name="ct"/> is cancelled, then stops.</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        try { await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await StopAsync().ConfigureAwait(false);
    }

    public async Task StopAsync()
    {
        if (_app == null) return;
        var app = _app;
        _app = null;
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    internal static IPEndPoint ParseAddress(string address)
    {
        int colon = address.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(address.AsSpan(colon + 1), out int port) || port is < 0 or > 65535)
            throw BerthException.Invalid($"invalid listen address \"{address}\": expected host:port");
        string host = address[..colon].Trim('[', ']');
        IPAddress ip = host switch
        {
            "" or "0.0.0.0" => IPAddress.Any,
            "localhost" => IPAddress.Loopback,
            _ => IPAddress.TryParse(host, out var parsed) ? parsed : throw BerthException.Invalid($"invalid listen address \"{address}\": host must be an IP address or localhost"),
        };
        return new IPEndPoint(ip, port);
    }
}
