using System.Diagnostics;

namespace Berth.Integration.Tests;

/// <summary>
/// A tmux server of its own (private socket in the temp dir, no config) with one window running an interactive host shell, driven the
/// way a person at a keyboard would: keys in with send-keys, the screen read back with capture-pane.
/// </summary>
public sealed class TmuxSession : IDisposable
{
    /// <summary>The host shell's prompt, distinct from busybox's "/ # ".</summary>
    public const string HostPrompt = "host$";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private readonly string _socket = Path.Combine(Path.GetTempPath(), "berth-it-tmux-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly Dictionary<string, string> _env;

    public TmuxSession(int width, int height, Dictionary<string, string> env)
    {
        _env = new Dictionary<string, string>(env);
        // Given as separate arguments tmux runs the command itself; through a non-interactive bash (the default-shell
        // from $SHELL), PS1 would be dropped from the environment.
        try
        {
            var r = Tmux("new-session", "-d", "-s", "main", "-x", width.ToString(), "-y", height.ToString(), "/usr/bin/env", $"PS1={HostPrompt} ", "/bin/sh", "-i");
            if (r.ExitCode != 0) throw new InvalidOperationException("tmux new-session failed: " + r);
            WaitFor(s => LastLine(s).EndsWith(HostPrompt, StringComparison.Ordinal), "the host shell's prompt");
        }
        catch (Exception)
        {
            Dispose();
            throw;
        }
    }

    public static bool Available => File.Exists("/usr/bin/tmux") || File.Exists("/usr/local/bin/tmux");

    /// <summary>Types a line and presses Enter.</summary>
    public void TypeLine(string text)
    {
        Tmux("send-keys", "-t", "main", "-l", text);
        Tmux("send-keys", "-t", "main", "Enter");
    }

    /// <summary>Presses keys by tmux name (C-p, Enter, …).</summary>
    public void Keys(params string[] keys) => Tmux(["send-keys", "-t", "main", .. keys]);

    public void Resize(int width, int height)
    {
        var r = Tmux("resize-window", "-t", "main", "-x", width.ToString(), "-y", height.ToString());
        if (r.ExitCode != 0) throw new InvalidOperationException("tmux resize-window failed: " + r);
    }

    /// <summary>The pane's scrollback and screen, wrapped lines joined, trailing blanks trimmed.</summary>
    public string Screen()
    {
        var lines = Tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "main").Stdout.Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines);
    }

    /// <summary>A tmux format of the pane, e.g. #{keypad_cursor_flag}.</summary>
    public string Format(string format) => Tmux("display-message", "-p", "-t", "main", format).Stdout.Trim();

    /// <summary>Polls the screen until <paramref name="done"/> holds; on timeout fails with what the screen showed.</summary>
    public string WaitFor(Func<string, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        string screen;
        while (!done(screen = Screen()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited for {what}; the screen shows:\n{screen}");
            Thread.Sleep(50);
        }
        return screen;
    }

    public static string LastLine(string screen) => screen[(screen.LastIndexOf('\n') + 1)..].TrimEnd();

    public static string[] Lines(string screen) => screen.Split('\n').Select(l => l.Trim()).ToArray();

    public static int Count(string screen, string text)
    {
        int n = 0;
        for (int i = screen.IndexOf(text, StringComparison.Ordinal); i >= 0; i = screen.IndexOf(text, i + text.Length, StringComparison.Ordinal)) n++;
        return n;
    }

    private CommandResult Tmux(params string[] args)
    {
        var psi = new ProcessStartInfo("tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-S", _socket, "-f", "/dev/null" }.Concat(args)) psi.ArgumentList.Add(a);
        // The server takes its environment from the client that starts it; a test run inside tmux must not nest.
        psi.Environment.Remove("TMUX");
        psi.Environment.Remove("ENV");
        foreach (var (k, v) in _env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill(true);
            throw new TimeoutException("tmux " + string.Join(' ', args) + " did not finish");
        }
        p.WaitForExit();
        return new CommandResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Kills the server and with it the shell and whatever runs in the window (SIGHUP); removes its socket.</summary>
    public void Dispose()
    {
        try { Tmux("kill-server"); } catch (Exception) { /* already gone */ }
        try { File.Delete(_socket); } catch (IOException) { /* in use by a server that would not die: left for the next run to report */ }
    }
}
