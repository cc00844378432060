using Berth.Core;

namespace Berth.Runtime;

/// <summary>A container or exec process failed to start; <see cref="ExitCode"/> is Docker's class: 125 setup, 126 not executable, 127 not found.</summary>
public sealed class ContainerStartException : BerthException
{
    public ContainerStartException(int exitCode, string message)
        : base(exitCode == 125 ? ErrorKind.Internal : ErrorKind.InvalidArgument, message) => ExitCode = exitCode;

    public int ExitCode { get; }
}
