namespace Berth.Cli.Parsing;

/// <summary>A command line Berth cannot parse; reported with a pointer to --help and exit status 125.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message, bool showUsage = false) : base(message) => ShowUsage = showUsage;

    /// <summary>Print the usage line after the message (missing or extra arguments).</summary>
    public bool ShowUsage { get; }
}
