using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

/// <summary>A Docker Engine API v1.50 client over HTTP/1.1 on a unix socket (or TCP); one connection per call, hijacking for attach and exec.</summary>
public sealed partial class EngineClient
{
    /// <summary>The API version prefix of every versioned path.</summary>
    public const string ApiVersion = "v1.50";

    private bool _starterTried;

    public EngineClient(EngineEndpoint endpoint) => Endpoint = endpoint;

    public EngineClient() : this(EngineEndpoint.FromEnvironment()) { }

    public EngineEndpoint Endpoint { get; }

    /// <summary>Called once when connecting to the default socket fails; returns true when the daemon was started and the call should be retried.</summary>
    public Func<CancellationToken, Task<bool>>? DaemonStarter { get; set; }

    /// <summary>Sends a request to /v1.50{pathAndQuery} and returns the response whatever its status.</summary>
    public async Task<EngineResponse> SendAsync(string method, string pathAndQuery, byte[]? body = null, Stream? streamBody = null,
        string? contentType = null, IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        var (connection, status, responseHeaders) = await ExchangeAsync(method, Versioned(pathAndQuery), body, streamBody, contentType, headers, false, ct).ConfigureAwait(false);
        Stream bodyStream;
        if (method == "HEAD" || status is 204 or 304 || (status >= 100 && status < 200)) bodyStream = ResponseBodyStream.ContentLength(connection.Reader, 0);
        else if (responseHeaders.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)) bodyStream = ResponseBodyStream.Chunked(connection.Reader);
        else if (responseHeaders.TryGetValue("Content-Length", out var cl) && long.TryParse(cl, out long length)) bodyStream = ResponseBodyStream.ContentLength(connection.Reader, length);
        else bodyStream = ResponseBodyStream.UntilClose(connection.Reader);
        return new EngineResponse(connection, status, responseHeaders, bodyStream);
    }

    /// <summary>Like <see cref="SendAsync"/> but throws <see cref="EngineApiException"/> for a non-2xx status.</summary>
    public async Task<EngineResponse> SendCheckedAsync(string method, string pathAndQuery, byte[]? body = null, Stream? streamBody = null,
        string? contentType = null, IReadOnlyDictionary<string, string>? headers = null, CancellationToken ct = default)
    {
        var response = await SendAsync(method, pathAndQuery, body, streamBody, contentType, headers, ct).ConfigureAwait(false);
        if (response.StatusCode is >= 200 and < 300) return response;
        using (response) throw await ToExceptionAsync(response, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a request asking to upgrade the connection (Connection: Upgrade, Upgrade: tcp) and returns the raw duplex stream after 101.</summary>
    public async Task<HijackedStream> HijackAsync(string method, string pathAndQuery, byte[]? body = null, CancellationToken ct = default)
    {
        var (connection, status, headers) = await ExchangeAsync(method, Versioned(pathAndQuery), body, null, body == null ? null : "application/json", null, true, ct).ConfigureAwait(false);
        if (status is 101 or 200)
            return new HijackedStream(connection, status, headers.TryGetValue("Content-Type", out var ctype) ? ctype : null);
        Stream errorBody = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? ResponseBodyStream.Chunked(connection.Reader)
            : headers.TryGetValue("Content-Length", out var cl) && long.TryParse(cl, out long n) ? ResponseBodyStream.ContentLength(connection.Reader, n) : ResponseBodyStream.UntilClose(connection.Reader);
        using var response = new EngineResponse(connection, status, headers, errorBody);
        throw await ToExceptionAsync(response, ct).ConfigureAwait(false);
    }

    internal async Task<T> GetJsonAsync<T>(string method, string pathAndQuery, JsonTypeInfo<T> typeInfo, byte[]? body = null, CancellationToken ct = default)
    {
        using var response = await SendCheckedAsync(method, pathAndQuery, body, null, body == null ? null : "application/json", null, ct).ConfigureAwait(false);
        return await JsonSerializer.DeserializeAsync(response.Body, typeInfo, ct).ConfigureAwait(false)
            ?? throw new EngineApiException(response.StatusCode, $"empty response from {method} {pathAndQuery}");
    }

    internal async Task SendNoContentAsync(string method, string pathAndQuery, byte[]? body = null, CancellationToken ct = default)
    {
        using var response = await SendCheckedAsync(method, pathAndQuery, body, null, body == null ? null : "application/json", null, ct).ConfigureAwait(false);
        await response.Body.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
    }

    /// <summary>GET a versioned path and return the body as a JSON document (inspect prints what the daemon sent, unchanged).</summary>
    public async Task<JsonDocument> GetJsonDocumentAsync(string pathAndQuery, CancellationToken ct = default)
    {
        using var response = await SendCheckedAsync("GET", pathAndQuery, ct: ct).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(response.Body, cancellationToken: ct).ConfigureAwait(false);
    }

    internal static byte[] Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    internal static string? Filters(IReadOnlyDictionary<string, List<string>>? filters) =>
        filters == null || filters.Count == 0 ? null
            : JsonSerializer.Serialize(new Dictionary<string, List<string>>(filters), EngineApiJson.Default.DictionaryStringListString);

    private static string Versioned(string pathAndQuery) => pathAndQuery.StartsWith("/_ping", StringComparison.Ordinal) ? pathAndQuery : "/" + ApiVersion + pathAndQuery;

    private static async Task<EngineApiException> ToExceptionAsync(EngineResponse response, CancellationToken ct)
    {
        var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while (ms.Length < 1 << 20 && (n = await response.Body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0) ms.Write(buffer, 0, n);
        string text = Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length).Trim();
        string message = text;
        if (text.StartsWith('{'))
        {
            try
            {
                var err = JsonSerializer.Deserialize(text, EngineApiJson.Default.ErrorResponse);
                if (!string.IsNullOrEmpty(err?.Message)) message = err.Message;
            }
            catch (JsonException) { }
        }
        if (message.Length == 0) message = $"HTTP {response.StatusCode}";
        return new EngineApiException(response.StatusCode, message);
    }

    private async Task<(Connection, int, Dictionary<string, string>)> ExchangeAsync(string method, string target, byte[]? body, Stream? streamBody,
        string? contentType, IReadOnlyDictionary<string, string>? headers, bool upgrade, CancellationToken ct)
    {
        var connection = await ConnectAsync(ct).ConfigureAwait(false);
        try
        {
            var head = new StringBuilder(256);
            head.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\nHost: docker\r\nUser-Agent: Berth-Client/" + ApiVersion + "\r\n");
            if (contentType != null) head.Append("Content-Type: ").Append(contentType).Append("\r\n");
            if (body != null) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
            else if (streamBody != null) head.Append("Transfer-Encoding: chunked\r\n");
            else if (method is "POST" or "PUT") head.Append("Content-Length: 0\r\n");
            if (headers != null) foreach (var (k, v) in headers) head.Append(k).Append(": ").Append(v).Append("\r\n");
            head.Append(upgrade ? "Connection: Upgrade\r\nUpgrade: tcp\r\n" : "Connection: close\r\n");
            head.Append("\r\n");
            await connection.Stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), ct).ConfigureAwait(false);
            if (body != null) await connection.Stream.WriteAsync(body, ct).ConfigureAwait(false);
            else if (streamBody != null) await ChunkedWriter.CopyAsync(streamBody, connection.Stream, ct).ConfigureAwait(false);

            string? statusLine = await connection.Reader.ReadLineAsync(ct).ConfigureAwait(false);
            if (statusLine == null) throw new EngineConnectionException($"the daemon at {Endpoint.Url} closed the connection without answering {method} {target}");
            string[] parts = statusLine.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out int status))
                throw new EngineConnectionException($"malformed response status line \"{statusLine}\" from {Endpoint.Url}");
            var responseHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (await connection.Reader.ReadLineAsync(ct).ConfigureAwait(false) is { Length: > 0 } line)
            {
                int colon = line.IndexOf(':');
                if (colon <= 0) continue;
                responseHeaders[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            return (connection, status, responseHeaders);
        }
        catch (IOException e)
        {
            connection.Dispose();
            throw new EngineConnectionException($"connection to {Endpoint.Url} broke during {method} {target}: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<Connection> ConnectAsync(CancellationToken ct)
    {
        while (true)
        {
            Socket socket = Endpoint.IsUnix
                ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
                : new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(Endpoint.Address, ct).ConfigureAwait(false);
                if (!Endpoint.IsUnix) socket.NoDelay = true;
                return new Connection(socket);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                if (Endpoint.IsDefault && !_starterTried && DaemonStarter != null)
                {
                    _starterTried = true;
                    if (await DaemonStarter(ct).ConfigureAwait(false)) continue;
                }
                string errno = e.SocketErrorCode switch
                {
                    SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported when Endpoint.IsUnix => "no such file or directory",
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.AccessDenied => "permission denied",
                    _ => e.Message,
                };
                throw new EngineConnectionException($"Cannot connect to the Berth daemon at {Endpoint.Url} ({errno}). Is the berth daemon running?", e);
            }
        }
    }
}
