using System.Net.Sockets;

namespace Berth.Integration.Tests;

/// <summary>Bad input to the builder: each fails with a message naming the problem, and nothing half-made is tagged.</summary>
[Trait("Category", "Root")]
public sealed class BuildErrorTests(BuildFixture fixture) : IClassFixture<BuildFixture>
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Fails(string tag, params (string Path, string Content)[] files)
    {
        var r = _d.Berth("build", "-t", tag, fixture.Context(files));
        Assert.True(r.ExitCode != 0, r.ToString());
        Assert.NotEqual(0, _d.Berth("image", "inspect", tag).ExitCode);
        return r;
    }

    [Fact]
    public void SyntaxErrorNamesLineAndColumn() =>
        Assert.Contains("Dockerfile:2:1:", Fails("be-syntax", ("Dockerfile", "FROM busybox\nRUN --mount=type=bogus true\n")).Stderr);

    [Fact]
    public void UnknownInstructionIsNamed() =>
        Assert.Contains("unknown instruction: FORM", Fails("be-unknown", ("Dockerfile", "FROM busybox\nFORM x\n")).Stderr);

    [Fact]
    public void MissingCopySourceIsNamed() =>
        Assert.Contains("stat nothere.txt", Fails("be-missing", ("Dockerfile", "FROM busybox\nCOPY nothere.txt /\n")).Stderr);

    [Fact]
    public void DotDotCannotLeaveTheContext() =>
        Assert.Contains("outside the build context", Fails("be-dotdot", ("Dockerfile", "FROM busybox\nCOPY ../../etc/passwd /p\n")).Stderr);

    [Fact]
    public void SymlinkCannotLeaveTheContext()
    {
        string ctx = fixture.Context(("Dockerfile", "FROM busybox\nCOPY link /p\n"));
        File.CreateSymbolicLink(Path.Combine(ctx, "link"), "/etc/hostname");
        var r = _d.Berth("build", "-t", "be-link", ctx);
        // The link resolves inside the context, where there is no etc/hostname.
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("stat link", r.Stderr);
    }

    [Fact]
    public void UndefinedAndRequiredArgsFail()
    {
        Assert.Contains("base name (${IMAGE}) should not be blank", Fails("be-arg", ("Dockerfile", "ARG IMAGE\nFROM ${IMAGE}\n")).Stderr);
        Assert.Contains("NAME: required", Fails("be-arg2", ("Dockerfile", "FROM busybox\nARG NAME\nENV N=${NAME:?required}\n")).Stderr);
    }

    [Fact]
    public void FailingRunNamesStepCommandCodeAndOutput()
    {
        var r = Fails("be-run", ("Dockerfile", "FROM busybox\nRUN echo first line; echo last words; exit 3\nENV AFTER=1\n"));
        Assert.Contains("returned a non-zero code: 3", r.Stderr);
        Assert.Contains("step 2/3", r.Stderr);
        Assert.Contains("echo first line; echo last words; exit 3", r.Stderr);
        Assert.Contains("last words", r.Stderr);
        Assert.Equal("", _d.Berth("ps", "-aq").Stdout.Trim());
    }

    [Fact]
    public void ForkBombIsBoundedByThePidsLimit()
    {
        // Without a limit all 3000 sleepers start and the step succeeds; the build's pids limit (2048) makes a fork fail.
        var r = Fails("be-fork", ("Dockerfile", "FROM busybox\nRUN i=0; while [ $i -lt 3000 ]; do sleep 300 & i=$((i+1)); done; echo all started\n"));
        Assert.Contains("returned a non-zero code", r.Stderr);
        Assert.Equal("", _d.Berth("ps", "-aq").Stdout.Trim());
    }

    [Fact]
    public async Task MalformedContextTarIsRefused()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await s.ConnectAsync(new UnixDomainSocketEndPoint(_d.Socket), ct);
                return new NetworkStream(s, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri("http://berth") };
        var junk = new byte[2048];
        Random.Shared.NextBytes(junk);
        "ustar"u8.CopyTo(junk.AsSpan(257));
        var response = await client.PostAsync("/build?t=be-tar", new ByteArrayContent(junk));
        string body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"errorDetail\"", body);
        Assert.Contains("not a valid tar archive", body);
        Assert.NotEqual(0, _d.Berth("image", "inspect", "be-tar").ExitCode);
    }
}
