using System.Security.Cryptography.X509Certificates;
using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>
/// An OCI distribution-spec client: endpoint discovery, Bearer (token service) and Basic auth driven by WWW-Authenticate,
/// manifests and blobs. TLS is verified except for loopback hosts and the configured insecure registries, which may
/// also fall back to plain HTTP.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private readonly RegistryClientOptions _options;
    private readonly InsecureRegistries _insecure;
    private readonly HttpClient _strict;
    private readonly HttpClient _lenient;
    private readonly ConcurrentDictionary<string, Uri> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _auth = new(StringComparer.Ordinal);

    public RegistryClient(RegistryClientOptions? options = null)
    {
        _options = options ?? new RegistryClientOptions();
        _insecure = new InsecureRegistries(_options.InsecureRegistries);
        _strict = NewHttpClient(verifyTls: true);
        _lenient = NewHttpClient(verifyTls: false);
    }

    /// <summary>
    /// The HTTP client for a registry: lenient for insecure ones; verifying against the CA certificates in
    /// <c>&lt;CertsDir&gt;/&lt;host:port&gt;/*.crt</c> when there are any (Docker's certs.d layout); else against the system's roots.
    /// </summary>
    private HttpClient ClientFor(string registry)
    {
        if (IsInsecure(registry)) return _lenient;
        var roots = RegistryCertificates.For(_options.CertsDir, registry);
        if (roots.Count == 0) return _strict;
        return _custom.GetOrAdd(registry, _ => NewHttpClient(verifyTls: true, roots));
    }

    private readonly ConcurrentDictionary<string, HttpClient> _custom = new(StringComparer.OrdinalIgnoreCase);

    private HttpClient NewHttpClient(bool verifyTls, X509Certificate2Collection? roots = null)
    {
        var sockets = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        if (!verifyTls) sockets.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        else if (roots != null)
        {
            sockets.SslOptions.CertificateChainPolicy = CustomRootPolicy(roots);
        }
        HttpMessageHandler handler = _options.WrapHandler?.Invoke(sockets) ?? sockets;
        var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd(_options.UserAgent);
        return http;
    }

    /// <summary>Only the registry's own CAs: a private registry's certificate chains to one of them, names still checked.</summary>
    private static X509ChainPolicy? CustomRootPolicy(X509Certificate2Collection roots)
    {
        if (roots.Count == 0) return null;
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        return policy;
    }

    /// <summary>The host actually contacted for a registry name: Docker Hub's <c>docker.io</c> is served by <c>registry-1.docker.io</c>.</summary>
    public static string EndpointHost(string registry) =>
        registry is "docker.io" or "index.docker.io" ? "registry-1.docker.io" : registry;

    /// <summary>True for loopback hosts and the configured insecure registries (names, or CIDR ranges holding the host's address).</summary>
    public bool IsInsecure(string registry) => _insecure.Contains(registry);

    /// <summary>Checks the registry speaks the v2 API and returns its base address (https, or http where allowed).</summary>
    public async Task<Uri> PingAsync(string registry, CancellationToken ct = default)
    {
        if (_endpoints.TryGetValue(registry, out var known)) return known;
        string host = EndpointHost(registry);
        bool insecure = IsInsecure(registry);
        var https = new Uri($"https://{host}/");
        try
        {
            await ProbeAsync(ClientFor(registry), https, registry, ct).ConfigureAwait(false);
            return _endpoints[registry] = https;
        }
        catch (HttpRequestException first) when (insecure)
        {
            var http = new Uri($"http://{host}/");
            try
            {
                await ProbeAsync(_lenient, http, registry, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new BerthException(ErrorKind.Internal, $"registry {registry}: cannot reach https://{host}/v2/ ({first.Message}) nor http://{host}/v2/ ({e.Message})", e);
            }
            return _endpoints[registry] = http;
        }
        catch (HttpRequestException e)
        {
            throw await TlsErrorAsync(registry, https, e, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The error for a registry that could not be reached over verified TLS, saying why when a probe can tell.</summary>
    private async Task<BerthException> TlsErrorAsync(string registry, Uri https, HttpRequestException e, CancellationToken ct)
    {
        string? why = e.InnerException is System.Security.Authentication.AuthenticationException or IOException
            ? await TlsFailureProbe.DiagnoseAsync(https.DnsSafeHost, https.Port, CustomRootPolicy(RegistryCertificates.For(_options.CertsDir, registry)), ct).ConfigureAwait(false)
            : null;
        string what = $"registry {registry}: https://{https.Authority}/v2/";
        if (why == null) return new BerthException(ErrorKind.Internal, $"{what}: cannot reach it: {e.Message}", e);
        string remedy = why.StartsWith("the server gave an HTTP response", StringComparison.Ordinal)
            ? $"TLS is required, since plain HTTP is used only for loopback registries and those the daemon trusts with --insecure-registry (e.g. --insecure-registry {registry})"
            : $"put the CA that signed it in {Path.Combine(_options.CertsDir ?? "<--registry-certs-dir>", registry, "ca.crt")}, or start the daemon with --insecure-registry {registry}";
        return new BerthException(ErrorKind.Internal, $"{what}: {why}: {remedy}", e);
    }

    private static async Task ProbeAsync(HttpClient client, Uri baseUri, string registry, CancellationToken ct)
    {
        using var res = await client.GetAsync(new Uri(baseUri, "/v2/"), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (res.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return;
        throw new BerthException(ErrorKind.Internal, $"registry {registry}: GET /v2/ answered {(int)res.StatusCode} {res.ReasonPhrase}: not a distribution v2 registry");
    }

    /// <summary>
    /// Sends a request built by <paramref name="make"/> (called again when a retry with credentials is needed), answering a
    /// 401 challenge once; <paramref name="actions"/> is the token scope wanted on <paramref name="repository"/> ("pull" or "pull,push").
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(string registry, string repository, string actions, Func<Uri, HttpRequestMessage> make, CancellationToken ct)
    {
        var baseUri = await PingAsync(registry, ct).ConfigureAwait(false);
        var client = ClientFor(registry);
        string key = registry + "|" + repository + "|" + actions;
        var req = make(baseUri);
        if (_auth.TryGetValue(key, out var cached)) req.Headers.TryAddWithoutValidation("Authorization", cached);
        var res = await SendOnceAsync(client, registry, req, ct).ConfigureAwait(false);
        if (res.StatusCode != HttpStatusCode.Unauthorized) return res;
        var challenge = AuthChallenge.Parse(res.Headers.TryGetValues("WWW-Authenticate", out var values) ? values.FirstOrDefault() : null);
        string what = $"{req.Method} {req.RequestUri?.AbsolutePath}";
        res.Dispose();
        string header = await AuthorizeSharedAsync(key, () => AuthorizeAsync(client, registry, repository, actions, challenge, ct)).ConfigureAwait(false);
        _auth[key] = header;
        req = make(baseUri);
        req.Headers.TryAddWithoutValidation("Authorization", header);
        res = await SendOnceAsync(client, registry, req, ct).ConfigureAwait(false);
        if (res.StatusCode == HttpStatusCode.Unauthorized)
        {
            var refused = AuthChallenge.Parse(res.Headers.TryGetValues("WWW-Authenticate", out var again) ? again.FirstOrDefault() : null);
            res.Dispose();
            var c = _options.Credentials?.Invoke(registry);
            string why = refused?["error"] == "insufficient_scope"
                ? (c != null ? $"user \"{c.Username}\" has no {actions} access to {repository}" : $"no {actions} access to {repository} without credentials; log in first")
                : c != null ? $"the registry refused the credentials of user \"{c.Username}\" (incorrect username or password, or no access)"
                : "authentication required (no credentials; log in first)";
            throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: {what}: unauthorized: {why}");
        }
        return res;
    }

    private static async Task<HttpResponseMessage> SendOnceAsync(HttpClient client, string registry, HttpRequestMessage req, CancellationToken ct)
    {
        try
        {
            return await client.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new BerthException(ErrorKind.Internal, $"registry {registry}: {req.Method} {req.RequestUri?.AbsolutePath}: {e.Message}", e);
        }
    }

    /// <summary>Turns a failed response into a BerthException naming the registry, request and the spec error code.</summary>
    internal static async Task<BerthException> ErrorAsync(string registry, HttpResponseMessage res, CancellationToken ct)
    {
        string detail = await ErrorDetailAsync(res, ct).ConfigureAwait(false);
        var kind = res.StatusCode switch
        {
            HttpStatusCode.NotFound => ErrorKind.NotFound,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ErrorKind.Unauthorized,
            HttpStatusCode.BadRequest => ErrorKind.InvalidArgument,
            _ => ErrorKind.Internal,
        };
        string what = $"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri?.AbsolutePath}";
        return new BerthException(kind, $"registry {registry}: {what}: {(int)res.StatusCode} {res.ReasonPhrase}{detail}");
    }

    /// <summary>": CODE: message" from a spec error body; "" when the body is not one.</summary>
    private static async Task<string> ErrorDetailAsync(HttpResponseMessage res, CancellationToken ct)
    {
        try
        {
            string body = await res.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(body);
            var e = doc.RootElement.GetProperty("errors")[0];
            return ": " + e.GetProperty("code").GetString() + ": " + (e.TryGetProperty("message", out var m) ? m.GetString() : "");
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return ""; // Not a spec error body; the status line says enough.
        }
    }

    public void Dispose()
    {
        _strict.Dispose();
        _lenient.Dispose();
        foreach (var c in _custom.Values) c.Dispose();
    }
}
