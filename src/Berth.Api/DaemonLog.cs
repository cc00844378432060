namespace Berth.Api;

/// <summary>The daemon's log: plain lines on stderr (no logging framework, to keep start-up and memory small).</summary>
public static class DaemonLog
{
    public static bool Debug { get; set; }

    public static void Info(string message) => Write("info", message);
    public static void Error(string message) => Write("error", message);
    public static void Verbose(string message) { if (Debug) Write("debug", message); }

    private static void Write(string level, string message) =>
        Console.Error.WriteLine($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {level} {message}");
}
