using Berth.Core;

namespace Berth.Build.Parser;

/// <summary>A Dockerfile that cannot be parsed; the message reads "FILE:LINE:COLUMN: reason".</summary>
public sealed class DockerfileParseException : BerthException
{
    public DockerfileParseException(string fileName, int line, int column, string reason, int endLine = 0)
        : base(ErrorKind.InvalidArgument, $"{fileName}:{line}:{column}: {reason}")
    {
        FileName = fileName;
        Line = line;
        Column = column;
        EndLine = Math.Max(endLine, line);
        Reason = reason;
    }

    /// <summary>The Dockerfile name used in the message.</summary>
    public string FileName { get; }

    /// <summary>The first line (1-based) of the offending instruction.</summary>
    public int Line { get; }

    /// <summary>The column (1-based); 1 when only the line is known.</summary>
    public int Column { get; }

    /// <summary>The last line (1-based) of the offending instruction.</summary>
    public int EndLine { get; }

    /// <summary>The error without its location.</summary>
    public string Reason { get; }
}
