using Xunit.Abstractions;

namespace Berth.Integration.Tests;

/// <summary>
/// run -it as a person uses it, in a real terminal (tmux): the prompt, echo, window size, detach with ctrl-p ctrl-q,
/// attach again, exit code; with the berth CLI and, when installed, the stock docker CLI against the same daemon.
/// </summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class InteractiveTerminalTests(DaemonFixture fixture, ITestOutputHelper output)
{
    private const string ContainerPrompt = "/ #";
    private readonly BerthDaemon _d = fixture.Daemon;

    private static string? DockerPath() => new[] { "/usr/local/bin/docker", "/usr/bin/docker" }.FirstOrDefault(File.Exists);

    [Theory]
    [InlineData("berth")]
    [InlineData("docker")]
    public void RunItIsAnInteractiveShell(string cli)
    {
        string? program = cli == "berth" ? _d.Binary : DockerPath();
        if (program == null || !TmuxSession.Available)
        {
            output.WriteLine($"SKIPPED: needs tmux and the {cli} CLI");
            return;
        }
        string name = $"it-tty-{cli}-{Guid.NewGuid().ToString("N")[..6]}";
        using var tmux = new TmuxSession(100, 30, new()
        {
            ["DOCKER_HOST"] = _d.Host,
            ["BERTH_HOST"] = _d.Host,
            ["DOCKER_CONFIG"] = Path.Combine(_d.Root, "docker-config"),
        });
        try
        {
            tmux.TypeLine($"{program} run -it --name {name} busybox sh");
            tmux.WaitFor(AtContainerPrompt, "the container shell's prompt");

            // Typed input is echoed once, by the container's terminal, not a second time by the CLI.
            tmux.TypeLine("echo hi-$((6*7))");
            var screen = tmux.WaitFor(s => HasLine(s, "hi-42") && AtContainerPrompt(s), "the output of echo");
            Assert.True(TmuxSession.Count(screen, "echo hi-$((6*7))") == 1, "the typed command should show once:\n" + screen);

            // The container's terminal has the window's size, and follows it when the window is resized.
            tmux.TypeLine("echo size=$(stty size)");
            screen = tmux.WaitFor(s => Lines(s).Any(l => l.StartsWith("size=", StringComparison.Ordinal)) && AtContainerPrompt(s), "stty size");
            Assert.True(HasLine(screen, "size=30 100"), "the terminal should be 30x100:\n" + screen);
            tmux.Resize(120, 40);
            // The resize reaches the container asynchronously (SIGWINCH → API → monitor): the shell polls, bounded.
            tmux.TypeLine("""for i in $(seq 100); do [ "$(stty size)" = "40 120" ] && break; sleep 0.1; done; echo resized=$(stty size)""");
            screen = tmux.WaitFor(s => Lines(s).Any(l => l.StartsWith("resized=", StringComparison.Ordinal)) && AtContainerPrompt(s), "stty size after the resize");
            Assert.True(HasLine(screen, "resized=40 120"), "the terminal should follow the window to 40x120:\n" + screen);

            // ctrl-p ctrl-q detaches: the CLI returns 0 to the host shell and the container keeps running.
            tmux.Keys("C-p", "C-q");
            tmux.WaitFor(AtHostPrompt, "the host shell after detaching");
            tmux.TypeLine("echo cli-exit=$?");
            screen = tmux.WaitFor(s => HasLine(s, "cli-exit=0") && AtHostPrompt(s), "the CLI's exit status after detaching");
            Assert.Equal("true", _d.Berth("inspect", "-f", "{{.State.Running}}", name).Stdout.Trim());
            // The user's terminal is left as it was found (no application cursor keys).
            Assert.Equal("0", tmux.Format("#{keypad_cursor_flag}"));

            // attach brings the same shell back; like a person, press Enter and wait for its prompt before typing on.
            tmux.TypeLine($"{program} attach {name}");
            // The attach may already show the shell's prompt (a redraw) by the time the screen is read.
            tmux.WaitFor(s => s.Contains($"attach {name}", StringComparison.Ordinal), "the attach command line");
            tmux.Keys("Enter");
            tmux.WaitFor(AtContainerPrompt, "the container's prompt after attaching");
            tmux.TypeLine("echo back-$((2+3))");
            screen = tmux.WaitFor(s => HasLine(s, "back-5") && AtContainerPrompt(s), "the shell after attaching again");
            Assert.True(TmuxSession.Count(screen, "echo back-$((2+3))") == 1, "the typed command should show once:\n" + screen);

            // exit ends the container with the shell's status, which the CLI returns.
            tmux.TypeLine("exit 3");
            tmux.WaitFor(AtHostPrompt, "the host shell after exit");
            tmux.TypeLine("echo cli-exit=$?");
            tmux.WaitFor(s => HasLine(s, "cli-exit=3") && AtHostPrompt(s), "the CLI's exit status after exit 3");
            Assert.Equal("false 3", _d.Berth("inspect", "-f", "{{.State.Running}} {{.State.ExitCode}}", name).Stdout.Trim());
            Assert.Equal("0", tmux.Format("#{keypad_cursor_flag}"));
        }
        catch (Exception)
        {
            output.WriteLine("screen:\n" + tmux.Screen());
            throw;
        }
        finally
        {
            _d.Berth("rm", "-f", name);
        }
    }

    /// <summary>start -a attaches before the process runs, so each run's whole output arrives, once, even when the process is quick.</summary>
    [Theory]
    [InlineData(false, "first\nsecond\n")]
    [InlineData(true, "first\r\nsecond\r\n")]
    public void StartAttachedShowsEachRunsOutputOnce(bool tty, string expected)
    {
        string name = $"it-start-a-{(tty ? "tty" : "pipes")}-{Guid.NewGuid().ToString("N")[..6]}";
        string[] create = tty ? ["create", "-t", "--name", name] : ["create", "--name", name];
        var created = _d.Berth([.. create, "busybox", "sh", "-c", "echo first; echo second"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        try
        {
            for (int run = 1; run <= 10; run++)
            {
                var r = _d.Berth("start", "-a", name);
                Assert.True(r.ExitCode == 0 && r.Stdout == expected, $"run {run}: {r}");
            }
        }
        finally
        {
            _d.Berth("rm", "-f", name);
        }
    }

    private static string[] Lines(string screen) => TmuxSession.Lines(screen);

    private static bool HasLine(string screen, string line) => Lines(screen).Contains(line);

    private static bool AtContainerPrompt(string screen) => TmuxSession.LastLine(screen) == ContainerPrompt;

    // After a detach the prompt follows the container's "/ # " on the same line, as with docker.
    private static bool AtHostPrompt(string screen) => TmuxSession.LastLine(screen).EndsWith(TmuxSession.HostPrompt, StringComparison.Ordinal);
}
