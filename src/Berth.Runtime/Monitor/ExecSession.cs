namespace Berth.Runtime.Monitor;

/// <summary>One exec'ed process (docker exec), kept after it exits for exec-inspect.</summary>
internal sealed class ExecSession(string id) : ProcessStdio
{
    public string Id { get; } = id;
}
