namespace Berth.Core;

/// <summary>The one exception type Berth throws for expected failures; <see cref="Kind"/> says which.</summary>
public class BerthException : Exception
{
    public BerthException(ErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public ErrorKind Kind { get; }

    public static BerthException NotFound(string message) => new(ErrorKind.NotFound, message);
    public static BerthException Invalid(string message) => new(ErrorKind.InvalidArgument, message);
    public static BerthException Conflict(string message) => new(ErrorKind.Conflict, message);
    public static BerthException Forbidden(string message) => new(ErrorKind.Forbidden, message);
    public static BerthException Precondition(string message) => new(ErrorKind.FailedPrecondition, message);
    public static BerthException Internal(string message, Exception? inner = null) => new(ErrorKind.Internal, message, inner);
}
