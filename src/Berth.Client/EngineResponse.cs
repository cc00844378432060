using Berth.Client.Http;

namespace Berth.Client;

/// <summary>A response from the daemon whose body is read as a stream; disposing it closes the connection.</summary>
public sealed class EngineResponse : IDisposable
{
    private readonly Connection _connection;

    internal EngineResponse(Connection connection, int statusCode, Dictionary<string, string> headers, Stream body)
    {
        _connection = connection;
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
    }

    public int StatusCode { get; }

    /// <summary>Response headers; names are case-insensitive.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public Stream Body { get; }

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public void Dispose() => _connection.Dispose();
}
