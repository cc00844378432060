namespace Berth.Client;

/// <summary>A non-2xx answer from the daemon: the HTTP status and the daemon's {"message"}.</summary>
public sealed class EngineApiException : Exception
{
    public EngineApiException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    public int StatusCode { get; }
}

/// <summary>The daemon could not be reached at all (socket missing, refused, or the connection broke).</summary>
public sealed class EngineConnectionException : Exception
{
    public EngineConnectionException(string message, Exception? inner = null) : base(message, inner) { }
}
