namespace Berth.Core;

/// <summary>What kind of failure a <see cref="BerthException"/> reports; mapped to HTTP status codes only in Berth.Api.</summary>
public enum ErrorKind
{
    /// <summary>Malformed or invalid input (HTTP 400).</summary>
    InvalidArgument,
    /// <summary>The named object does not exist (HTTP 404).</summary>
    NotFound,
    /// <summary>The name or object already exists or is in use (HTTP 409).</summary>
    Conflict,
    /// <summary>The object is not in a state that allows the operation (HTTP 409 or 304 by endpoint).</summary>
    FailedPrecondition,
    /// <summary>Credentials are missing or wrong (HTTP 401).</summary>
    Unauthorized,
    /// <summary>Not available in this build of Berth (HTTP 501).</summary>
    NotImplemented,
    /// <summary>Berth itself failed (HTTP 500).</summary>
    Internal,
    /// <summary>The request is understood but not allowed (403), e.g. removing a predefined network.</summary>
    Forbidden,
}
