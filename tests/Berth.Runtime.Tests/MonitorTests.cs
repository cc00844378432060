using System.Text;
using Berth.Core;
using Berth.Runtime.Logging;
using Berth.Runtime.Monitor;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

public class MonitorTests
{
    [Fact]
    public async Task AttachFramesOutputEchoesStdinThroughCatAndWaitReturnsExitCode()
    {
        using var c = MonitorTestContainer.Start(["cat"], cfg => { cfg.OpenStdin = true; cfg.StdinOnce = true; });
        await using var stream = await c.Client.AttachAsync(stdin: true, stdout: true, stderr: true, ct: MonitorTestContainer.Guard());
        await stream.WriteAsync("hello monitor\n"u8.ToArray());
        var frame = await MultiplexedFrame.ReadFrameAsync(stream, MonitorTestContainer.Guard());
        Assert.Equal(MultiplexedFrame.Stdout, frame!.Value.Stream);
        Assert.Equal("hello monitor\n", Encoding.UTF8.GetString(frame.Value.Payload));
        stream.CloseWrite(); // StdinOnce: cat sees end of input and exits
        var (rest, _) = await MonitorTestContainer.ReadFramesToEnd(stream);
        Assert.Equal("", rest);
        var exit = await c.Client.WaitAsync(MonitorTestContainer.Guard());
        Assert.Equal(0, exit.ExitCode);
        Assert.Null(exit.Error);
        Assert.Contains("{\"log\":\"hello monitor\\n\",\"stream\":\"stdout\",\"time\":\"", File.ReadAllText(c.LogPath));
    }

    [Fact]
    public async Task StdoutAndStderrAreSeparateStreamsAndSignalsGive128PlusN()
    {
        using var c = MonitorTestContainer.Start(["sh", "-c", "read x; echo out; echo err >&2; kill -TERM $$"], cfg => cfg.OpenStdin = true);
        await using var stream = await c.Client.AttachAsync(stdin: true, stdout: true, stderr: true, ct: MonitorTestContainer.Guard());
        await stream.WriteAsync("go\n"u8.ToArray());
        var (stdout, stderr) = await MonitorTestContainer.ReadFramesToEnd(stream);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);
        var exit = await c.Client.WaitAsync(MonitorTestContainer.Guard());
        Assert.Equal(143, exit.ExitCode);
        Assert.Equal(15, exit.Signal);
        var logs = new MemoryStream();
        await JsonFileLogReader.ReadAsync(c.LogPath, new LogReadOptions { Stdout = false }, logs, false, () => false, CancellationToken.None);
        Assert.Equal("err\n", Encoding.UTF8.GetString(logs.ToArray()));
    }

    [Fact]
    public async Task PtyGivesTheContainerATerminalOfTheConfiguredSizeAndResizeChangesIt()
    {
        // The first size is printed only after the first input line, so the resize cannot overtake it.
        using var c = MonitorTestContainer.Start(["sh", "-c", "read a; stty size; tty; read x; stty size"],
            cfg => { cfg.Tty = true; cfg.OpenStdin = true; cfg.ConsoleHeight = 24; cfg.ConsoleWidth = 80; });
        await using var stream = await c.Client.AttachAsync(stdin: true, stdout: true, stderr: true, ct: MonitorTestContainer.Guard());
        await stream.WriteAsync("\n"u8.ToArray());
        await MonitorTestContainer.ReadRawUntil(stream, "24 80");
        await c.Client.ResizeAsync(40, 100, ct: MonitorTestContainer.Guard());
        await stream.WriteAsync("\n"u8.ToArray());
        string output = await MonitorTestContainer.ReadRawUntil(stream, "40 100");
        var exit = await c.Client.WaitAsync(MonitorTestContainer.Guard());
        Assert.Equal(0, exit.ExitCode);
        // The log has everything, raw and unframed.
        var logs = new MemoryStream();
        await JsonFileLogReader.ReadAsync(c.LogPath, new LogReadOptions(), logs, false, () => false, CancellationToken.None);
        string all = Encoding.UTF8.GetString(logs.ToArray());
        Assert.Contains("24 80\r\n", all);
        Assert.Matches("/dev/pts/\\d+\r\n", all);
        Assert.Contains("40 100\r\n", all);
        Assert.Contains("40 100", output);
        Assert.DoesNotContain("\u0001\0\0\0", output);
    }

    [Fact]
    public async Task AttachWithLogsReplaysEarlierOutputFirst()
    {
        using var c = MonitorTestContainer.Start(["sh", "-c", "echo early; read x; echo late"], cfg => cfg.OpenStdin = true);
        await MonitorTestContainer.WaitUntil(() => File.Exists(c.LogPath) && File.ReadAllText(c.LogPath).Contains("early"));
        await using var stream = await c.Client.AttachAsync(stdin: true, stdout: true, stderr: true, logs: true, ct: MonitorTestContainer.Guard());
        await stream.WriteAsync("\n"u8.ToArray());
        var (stdout, _) = await MonitorTestContainer.ReadFramesToEnd(stream);
        Assert.Equal("early\nlate\n", stdout);
    }

    [Fact]
    public async Task DetachKeysEndTheAttachWithoutStoppingOrFeedingTheContainer()
    {
        using var c = MonitorTestContainer.Start(["cat"], cfg => cfg.OpenStdin = true);
        await using var stream = await c.Client.AttachAsync(stdin: true, stdout: true, stderr: true, detachKeys: "ctrl-x,y", ct: MonitorTestContainer.Guard());
        await stream.WriteAsync("one\n"u8.ToArray());
        var frame = await MultiplexedFrame.ReadFrameAsync(stream, MonitorTestContainer.Guard());
        Assert.Equal("one\n", Encoding.UTF8.GetString(frame!.Value.Payload));
        // A broken prefix passes through to the container.
        await stream.WriteAsync(new byte[] { 0x18, (byte)'z', (byte)'\n' });
        frame = await MultiplexedFrame.ReadFrameAsync(stream, MonitorTestContainer.Guard());
        Assert.Equal("\u0018z\n", Encoding.UTF8.GetString(frame!.Value.Payload));
        // The full sequence detaches: neither it nor what follows reaches the container, and the stream ends.
        await stream.WriteAsync(new byte[] { 0x18, (byte)'y', (byte)'n', (byte)'o', (byte)'\n' });
        var (rest, _) = await MonitorTestContainer.ReadFramesToEnd(stream);
        Assert.Equal("", rest);
        Assert.DoesNotContain("no\n", File.ReadAllText(c.LogPath));
        var state = await c.Client.StateAsync(MonitorTestContainer.Guard());
        Assert.True(state.Running);
        Assert.Equal(c.Started!.ContainerPid, state.Pid);
    }

    [Fact]
    public async Task BadDetachKeysAndResizeWithoutTtyAreRejected()
    {
        using var c = MonitorTestContainer.Start(["sleep", "30"]);
        var e = await Assert.ThrowsAsync<BerthException>(() => c.Client.AttachAsync(false, true, true, detachKeys: "ctrl-1", ct: MonitorTestContainer.Guard()));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains("ctrl-1", e.Message);
        var r = await Assert.ThrowsAsync<BerthException>(() => c.Client.ResizeAsync(10, 10, ct: MonitorTestContainer.Guard()));
        Assert.Equal(ErrorKind.FailedPrecondition, r.Kind);
        var x = await Assert.ThrowsAsync<BerthException>(() => c.Client.ExecInspectAsync("nope", MonitorTestContainer.Guard()));
        Assert.Equal(ErrorKind.NotFound, x.Kind);
        Assert.Contains("nope", x.Message);
    }

    [Fact]
    public async Task StartFailureReportsExitCodeClassAndLeavesAnExitRecord()
    {
        using var c = MonitorTestContainer.Create(["/nonexistent/program"]);
        var e = Assert.Throws<ContainerStartException>(() => c.Spawn());
        Assert.Equal(127, e.ExitCode);
        Assert.Contains("/nonexistent/program", e.Message);
        var exit = MonitorFiles.ReadExit(c.StateDir);
        Assert.Equal(127, exit!.ExitCode);
        Assert.Contains("/nonexistent/program", exit.Error);
        Assert.False(File.Exists(Path.Combine(c.StateDir, "monitor.sock")));
        var waited = await c.Client.WaitAsync(MonitorTestContainer.Guard());
        Assert.Equal(127, waited.ExitCode);
    }

    [Fact]
    public async Task MonitorIsDetachedFromItsSpawnerAndCleansUpAfterTheContainerEnds()
    {
        using var c = MonitorTestContainer.Start(["sh", "-c", "read x; exit 5"], cfg => cfg.OpenStdin = true);
        var started = c.Started!;
        string stat = File.ReadAllText($"/proc/{started.MonitorPid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        int ppid = int.Parse(fields[1]);
        int sid = int.Parse(fields[3]);
        Assert.NotEqual(MonitorPosix.getpid(), ppid); // the intermediate that spawned it is gone: it outlives any daemon
        Assert.Equal(started.MonitorPid, sid);        // its own session: no signals from the daemon's terminal
        var state = MonitorFiles.ReadState(c.StateDir)!;
        Assert.Equal(started.MonitorPid, state.MonitorPid);
        Assert.Equal(started.ContainerPid, state.Pid);

        var wait = c.Client.WaitAsync(MonitorTestContainer.Guard());
        await using (var stream = await c.Client.AttachAsync(true, false, false, ct: MonitorTestContainer.Guard()))
            await stream.WriteAsync("\n"u8.ToArray());
        Assert.Equal(5, (await wait).ExitCode);
        await MonitorTestContainer.WaitUntil(() => MonitorTestContainer.ProcessGone(started.MonitorPid));
        Assert.False(File.Exists(Path.Combine(c.StateDir, "monitor.sock")));
        var after = await c.Client.StateAsync(MonitorTestContainer.Guard());
        Assert.False(after.Running);
        Assert.Equal(5, after.Exit!.ExitCode);
    }

    [Fact]
    public async Task ExecStreamsInspectReportsExitCodesAndDetachedExecRuns()
    {
        using var c = MonitorTestContainer.Start(["sleep", "30"]);
        var process = new ProcessSpec { Args = ["sh", "-c", "cat; echo done >&2; exit 4"], Env = ["PATH=/usr/bin:/bin"], Cwd = "/" };
        await using (var stream = await c.Client.ExecAsync("e1", process, tty: false, stdin: true, stdout: true, stderr: true, ct: MonitorTestContainer.Guard()))
        {
            Assert.True(stream.Pid > 0);
            await stream.WriteAsync("piped\n"u8.ToArray());
            stream.CloseWrite();
            var (stdout, stderr) = await MonitorTestContainer.ReadFramesToEnd(stream);
            Assert.Equal("piped\n", stdout);
            Assert.Equal("done\n", stderr);
        }
        var status = await c.Client.ExecInspectAsync("e1", MonitorTestContainer.Guard());
        Assert.False(status.Running);
        Assert.Equal(4, status.ExitCode);

        var missing = new ProcessSpec { Args = ["no-such-command-here"], Env = ["PATH=/usr/bin:/bin"], Cwd = "/" };
        var e = await Assert.ThrowsAsync<ContainerStartException>(() => c.Client.ExecAsync("e2", missing, false, false, true, true, ct: MonitorTestContainer.Guard()));
        Assert.Equal(127, e.ExitCode);
        Assert.Equal(127, (await c.Client.ExecInspectAsync("e2", MonitorTestContainer.Guard())).ExitCode);

        string marker = Path.Combine(c.StateDir, "detached-ran");
        var touch = new ProcessSpec { Args = ["touch", marker], Env = ["PATH=/usr/bin:/bin"], Cwd = "/" };
        await using (var detached = await c.Client.ExecAsync("e3", touch, false, false, false, false, ct: MonitorTestContainer.Guard()))
            Assert.Equal(0, await detached.ReadAsync(new byte[16]));
        await MonitorTestContainer.WaitUntil(() => File.Exists(marker));
        await MonitorTestContainer.WaitUntil(() => c.Client.ExecInspectAsync("e3").Result.ExitCode == 0);
        // Exec output never goes to the container's log.
        Assert.DoesNotContain("piped", File.Exists(c.LogPath) ? File.ReadAllText(c.LogPath) : "");
    }

    [Fact]
    public async Task ExecWithTtyGetsItsOwnResizablePty()
    {
        using var c = MonitorTestContainer.Start(["sleep", "30"]);
        var process = new ProcessSpec { Args = ["sh", "-c", "stty size; read x; stty size"], Env = ["PATH=/usr/bin:/bin"], Cwd = "/" };
        await using var stream = await c.Client.ExecAsync("t1", process, tty: true, stdin: true, stdout: true, stderr: true, height: 12, width: 34, ct: MonitorTestContainer.Guard());
        string first = await MonitorTestContainer.ReadRawUntil(stream, "12 34");
        Assert.Contains("12 34", first);
        await c.Client.ResizeAsync(56, 78, "t1", MonitorTestContainer.Guard());
        await stream.WriteAsync("\n"u8.ToArray());
        string second = await MonitorTestContainer.ReadRawUntil(stream, "56 78");
        Assert.Contains("56 78", second);
    }

    [Fact]
    public async Task DeferredStartLetsAnAttachMadeBeforeStartSeeAllOutput()
    {
        using var c = MonitorTestContainer.Start(["echo", "early bird"], cfg => cfg.DeferStart = true);
        Assert.Equal(0, c.Started!.ContainerPid);
        var before = await c.Client.StateAsync(MonitorTestContainer.Guard());
        Assert.False(before.Running);
        await using var stream = await c.Client.AttachAsync(false, true, true, ct: MonitorTestContainer.Guard());
        int pid = await c.Client.StartAsync(MonitorTestContainer.Guard());
        Assert.True(pid > 0);
        var (stdout, _) = await MonitorTestContainer.ReadFramesToEnd(stream);
        Assert.Equal("early bird\n", stdout);
        Assert.Equal(0, (await c.Client.WaitAsync(MonitorTestContainer.Guard())).ExitCode);
    }

    [Fact]
    public async Task DeferredStartFailureIsReportedToTheStarterAndWaiters()
    {
        using var c = MonitorTestContainer.Start(["/nonexistent/deferred"], cfg => cfg.DeferStart = true);
        var wait = c.Client.WaitAsync(MonitorTestContainer.Guard());
        var e = await Assert.ThrowsAsync<ContainerStartException>(() => c.Client.StartAsync(MonitorTestContainer.Guard()));
        Assert.Equal(127, e.ExitCode);
        Assert.Contains("/nonexistent/deferred", e.Message);
        var exit = await wait;
        Assert.Equal(127, exit.ExitCode);
        Assert.Contains("/nonexistent/deferred", exit.Error);
        await MonitorTestContainer.WaitUntil(() => MonitorTestContainer.ProcessGone(c.Started!.MonitorPid));
    }
}
