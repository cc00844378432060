using Xunit.Abstractions;

namespace Berth.Integration.Tests;

/// <summary>The stock docker CLI pulling, pushing and logging in through a Berth daemon; an image's round trip through skopeo.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class RegistryInteropTests(DaemonFixture fixture, ITestOutputHelper output)
{
    private const string DockerCli = "/usr/local/bin/docker", Skopeo = "/usr/bin/skopeo";
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(string file, params string[] args)
    {
        var r = _d.Run(file, args, null, 120_000);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)}: {r}");
        return r;
    }

    [Fact]
    public void DockerCliLogsInPushesAndPullsThroughBerth()
    {
        if (!File.Exists(DockerCli))
        {
            output.WriteLine("SKIPPED: no docker CLI at " + DockerCli);
            return;
        }
        using var registry = LoopbackRegistry.StartBerth(_d.Binary, "bob", "pa55");
        string server = registry.HostPort, image = server + "/dk/busybox:1";

        var wrong = _d.Run(DockerCli, ["login", "-u", "bob", "--password-stdin", server], "nope\n");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("incorrect username or password", wrong.Stderr);
        var login = _d.Run(DockerCli, ["login", "-u", "bob", "--password-stdin", server], "pa55\n");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Login Succeeded", login.Stdout);

        Ok(DockerCli, "tag", "busybox", image);
        var push = Ok(DockerCli, "push", image);
        Assert.Contains("1: digest: sha256:", push.Stdout);
        Ok(DockerCli, "rmi", image);
        var pull = Ok(DockerCli, "pull", image);
        Assert.Contains("Status: Downloaded newer image for " + image, pull.Stdout);
        Assert.Equal("docker pulled\n", Ok(DockerCli, "run", "--rm", image, "echo", "docker pulled").Stdout);
        Ok(DockerCli, "rmi", image);

        // docker run pulls a missing image through the daemon too.
        var run = Ok(DockerCli, "run", "--rm", image, "echo", "run pulled");
        Assert.Contains("Unable to find image", run.Stderr);
        Assert.Equal("run pulled\n", run.Stdout);
        Ok(DockerCli, "rmi", image);

        Ok(DockerCli, "logout", server);
        var denied = _d.Run(DockerCli, ["pull", image], null);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("unauthorized", denied.Stderr);
    }

    [Fact]
    public void RoundTripThroughSaveAndSkopeoKeepsDigests()
    {
        if (!File.Exists(Skopeo))
        {
            output.WriteLine("SKIPPED: skopeo is not installed");
            return;
        }
        using var first = LoopbackRegistry.StartDistribution() ?? LoopbackRegistry.StartBerth(_d.Binary);
        using var second = LoopbackRegistry.StartBerth(_d.Binary);
        string source = first.HostPort + "/rt/busybox:v1", target = second.HostPort + "/rt/copied:v1";
        Ok(_d.Binary, "tag", "busybox", source);
        string pushed = Ok(_d.Binary, "push", source).Stdout.Split('\n').Single(l => l.StartsWith("v1: digest: ", StringComparison.Ordinal)).Split(' ')[2];
        Ok(_d.Binary, "rmi", source);
        Ok(_d.Binary, "pull", source);
        string id = Ok(_d.Binary, "images", "-q", "--no-trunc", source).Stdout.Trim();

        string tar = Path.Combine(_d.Root, "roundtrip.tar");
        Ok(_d.Binary, "save", "-o", tar, source);
        Ok(Skopeo, "--insecure-policy", "copy", "--preserve-digests", "--dest-tls-verify=false", $"oci-archive:{tar}:v1", $"docker://{target}");
        string copied = Ok(Skopeo, "inspect", "--tls-verify=false", "--format", "{{.Digest}}", $"docker://{target}").Stdout.Trim();
        Assert.Equal(pushed, copied);

        var pull = Ok(_d.Binary, "pull", target);
        Assert.Contains("Digest: " + pushed, pull.Stdout);
        Assert.Equal(id, Ok(_d.Binary, "images", "-q", "--no-trunc", target).Stdout.Trim());
        Ok(_d.Binary, "rmi", source, target);
        File.Delete(tar);
    }
}
