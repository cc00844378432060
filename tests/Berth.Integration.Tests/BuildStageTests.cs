using System.Globalization;

namespace Berth.Integration.Tests;

/// <summary>Multi-stage builds run independent stages at once, print them in Dockerfile order, and stop all on a failure.</summary>
[Trait("Category", "Root")]
public sealed class BuildStageTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    // Each stage notes the kernel's uptime before and after a sleep; independent stages' intervals must overlap.
    private const string Parallel = """
        FROM busybox AS a
        RUN cut -d' ' -f1 /proc/uptime > /t && sleep 2 && cut -d' ' -f1 /proc/uptime >> /t
        FROM busybox AS b
        RUN cut -d' ' -f1 /proc/uptime > /t && sleep 2 && cut -d' ' -f1 /proc/uptime >> /t
        FROM busybox
        COPY --from=a /t /a
        COPY --from=b /t /b
        """;

    [Fact]
    public void IndependentStagesOverlapAndPrintInOrder()
    {
        string ctx = fixture.Context(("Dockerfile", Parallel));
        var r = Ok("build", "--no-cache", "-t", "bs-par", ctx);
        var a = Interval(Ok("run", "--rm", "bs-par", "cat", "/a").Stdout);
        var b = Interval(Ok("run", "--rm", "bs-par", "cat", "/b").Stdout);
        Assert.True(a.Start < b.End && b.Start < a.End, $"stages ran one after the other: a {a}, b {b}");

        int at = -1;
        for (int step = 1; step <= 7; step++)
        {
            int next = r.Stdout.IndexOf($"Step {step}/7 : ", StringComparison.Ordinal);
            Assert.True(next > at, $"Step {step}/7 is out of order:\n{r.Stdout}");
            at = next;
        }
        // Stage a's output is all there before stage b's first line.
        int bStarts = r.Stdout.IndexOf("Step 3/7 : ", StringComparison.Ordinal);
        Assert.DoesNotContain("Step 2/7", r.Stdout[bStarts..]);
        Assert.Equal(7, r.Stdout.Split(" ---> Took ").Length - 1); // every step says how long it took
        Ok("rmi", "bs-par");
    }

    [Fact]
    public void FailingStageStopsTheOthersAndLeavesNoContainer()
    {
        string ctx = fixture.Context(("Dockerfile", """
            FROM busybox AS slow
            RUN sleep 40
            FROM busybox AS broken
            RUN echo about to fail && exit 3
            FROM busybox
            COPY --from=slow /etc/passwd /a
            COPY --from=broken /etc/passwd /b
            """));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = _d.Berth("build", "--no-cache", "-t", "bs-fail", ctx);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("returned a non-zero code: 3", r.Stderr);
        Assert.Contains("about to fail", r.Stdout);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(35), "the slow stage was not stopped");
        Assert.Equal("", Ok("ps", "-aq").Stdout);
        Assert.NotEqual(0, _d.Berth("image", "inspect", "bs-fail").ExitCode);
    }

    private static (double Start, double End) Interval(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (double.Parse(lines[0], CultureInfo.InvariantCulture), double.Parse(lines[1], CultureInfo.InvariantCulture));
    }
}
