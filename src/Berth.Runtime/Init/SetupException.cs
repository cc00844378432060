namespace Berth.Runtime.Init;

/// <summary>A failure inside the init or exec process, with the exit class reported over the status pipe.</summary>
internal sealed class SetupException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public static SetupException Errno(string what, int errno) => new(125, $"{what}: {Native.Errno.Describe(errno)}");
}
