namespace Berth.Integration.Tests;

/// <summary>Running berth commands that must succeed: a failure fails the test with the command and its output.</summary>
public static class DaemonCommands
{
    public static CommandResult Ok(this BerthDaemon d, params string[] args)
    {
        var r = d.Berth(args);
        Assert.True(r.ExitCode == 0, string.Join(' ', args) + ": " + r);
        return r;
    }

    /// <summary>The trimmed stdout of a command that must succeed.</summary>
    public static string Out(this BerthDaemon d, params string[] args) => d.Ok(args).Stdout.Trim();
}
