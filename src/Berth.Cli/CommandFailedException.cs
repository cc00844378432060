namespace Berth.Cli;

/// <summary>Ends a command with an exit status and a message for stderr (already formatted, may be empty).</summary>
public sealed class CommandFailedException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
