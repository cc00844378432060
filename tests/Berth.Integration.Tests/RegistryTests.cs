using System.Text.Json;

namespace Berth.Integration.Tests;

/// <summary>berth pull, push, login, logout and run's pulling, through the daemon, against registries on loopback.</summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class RegistryTests(DaemonFixture fixture)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    [Fact]
    public void PushRemovePullByTagAndDigestAndRun()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary);
        string repo = registry.HostPort + "/it/busybox";
        Ok("tag", "busybox", repo + ":v1");
        var push = Ok("push", repo + ":v1");
        Assert.Contains("The push refers to repository [" + repo + "]", push.Stdout);
        string digest = push.Stdout.Split('\n').Single(l => l.StartsWith("v1: digest: ", StringComparison.Ordinal)).Split(' ')[2];
        Assert.StartsWith("sha256:", digest);
        Assert.Contains("Layer already exists", Ok("push", repo + ":v1").Stdout);

        Ok("rmi", repo + ":v1");
        var pull = Ok("pull", repo + ":v1");
        Assert.Contains("v1: Pulling from it/busybox", pull.Stdout);
        Assert.Contains("Pull complete", pull.Stdout);
        Assert.Contains("Digest: " + digest, pull.Stdout);
        Assert.Contains("Status: Downloaded newer image for " + repo + ":v1", pull.Stdout);
        Assert.EndsWith(repo + ":v1\n", pull.Stdout);
        Assert.DoesNotContain("Downloading", pull.Stdout); // not a terminal: status changes only
        Assert.Equal("from the registry\n", Ok("run", "--rm", repo + ":v1", "echo", "from the registry").Stdout);
        Assert.Contains("Status: Image is up to date for " + repo + ":v1", Ok("pull", repo + ":v1").Stdout);
        Assert.Equal(repo + ":v1\n", Ok("pull", "-q", repo + ":v1").Stdout);

        Ok("rmi", repo + ":v1");
        var byDigest = Ok("pull", repo + "@" + digest);
        Assert.Contains("Status: Downloaded newer image for " + repo + "@" + digest, byDigest.Stdout);
        Assert.Contains(repo + "@" + digest, Ok("image", "inspect", "--format", "{{json .RepoDigests}}", repo + "@" + digest).Stdout);
        Assert.Equal("by digest\n", Ok("run", "--rm", repo + "@" + digest, "echo", "by digest").Stdout);
        Ok("rmi", repo + "@" + digest);
    }

    [Fact]
    public void RunAndCreatePullAMissingImageAsDockerDoes()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary);
        string image = registry.HostPort + "/it/runpull:1";
        Ok("tag", "busybox", image);
        Ok("push", image);
        Ok("rmi", image);

        var never = _d.Berth("run", "--rm", "--pull", "never", image, "true");
        Assert.Equal(125, never.ExitCode);
        Assert.Contains("No such image", never.Stderr);

        var run = Ok("run", "--rm", image, "echo", "pulled by run");
        Assert.StartsWith($"Unable to find image '{image}' locally\n", run.Stderr);
        Assert.Contains("Status: Downloaded newer image for " + image, run.Stderr);
        Assert.Equal("pulled by run\n", run.Stdout);

        var always = Ok("create", "--pull", "always", "--name", "it-pull-always", image, "true");
        Assert.Contains("Status: Image is up to date for " + image, always.Stderr);
        Ok("rm", "it-pull-always");
        Ok("rmi", image);

        // A name no registry has: the first line stays, then the pull's error; exit 125.
        var missing = _d.Berth("run", "--rm", registry.HostPort + "/it/nosuch");
        Assert.Equal(125, missing.ExitCode);
        Assert.StartsWith($"Unable to find image '{registry.HostPort}/it/nosuch:latest' locally\n", missing.Stderr);
        Assert.Contains("not found", missing.Stderr);
    }

    [Fact]
    public void PushAndPullAllTagsAgainstDistribution()
    {
        using var registry = LoopbackRegistry.StartDistribution();
        if (registry == null) return; // docker-registry not installed; scripts/setup installs it
        string repo = registry.HostPort + "/it/alltags";
        Ok("tag", "busybox", repo + ":a");
        Ok("tag", "busybox", repo + ":b");
        var push = Ok("push", "-a", repo);
        Assert.Contains("a: digest: sha256:", push.Stdout);
        Assert.Contains("b: digest: sha256:", push.Stdout);
        Ok("rmi", repo + ":a", repo + ":b");
        var pull = Ok("pull", "-a", repo);
        Assert.Contains("Status: Downloaded newer image for " + repo + "\n", pull.Stdout);
        var tags = Ok("images", "--format", "{{.Repository}}:{{.Tag}}").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(t => t.StartsWith(repo + ":", StringComparison.Ordinal)).Order().ToArray();
        Assert.Equal([repo + ":a", repo + ":b"], tags);
        Assert.Equal("linux/amd64\n", Ok("run", "--rm", "--platform", "linux/amd64", repo + ":a", "sh", "-c", "echo linux/amd64").Stdout);
        Ok("rmi", repo + ":a", repo + ":b");
    }

    [Fact]
    public void LoginWithHtpasswdStoresCredentialsAndPullUsesThem()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary, "alice", "s3cret");
        string server = registry.HostPort, image = server + "/it/private:1";
        string config = Path.Combine(_d.Root, "docker-config", "config.json");
        if (File.Exists(config)) File.Delete(config);
        Ok("tag", "busybox", image);

        var anonymous = _d.Berth("push", image);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("unauthorized", anonymous.Stderr);

        var wrong = _d.BerthWithInput("wrong\n", "login", "-u", "alice", "--password-stdin", server);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("incorrect username or password", wrong.Stderr);
        Assert.False(File.Exists(config));

        Assert.Equal(1, _d.Berth("login", "--password-stdin", server).ExitCode); // needs -u
        var login = _d.BerthWithInput("s3cret\n", "login", "-u", "alice", "--password-stdin", server);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Login Succeeded", login.Stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(config)))
            Assert.Equal(Convert.ToBase64String("alice:s3cret"u8.ToArray()), doc.RootElement.GetProperty("auths").GetProperty(server).GetProperty("auth").GetString());

        Ok("push", image);
        Ok("rmi", image);
        Assert.Contains("Pull complete", Ok("pull", image).Stdout);
        Ok("rmi", image);

        Assert.Contains("Removing login credentials for " + server, Ok("logout", server).Stdout);
        Assert.Contains("Not logged in to " + server, Ok("logout", server).Stdout);
        var denied = _d.Berth("pull", image);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("unauthorized", denied.Stderr);
        Assert.Empty(Ok("images", "-q", image).Stdout);

        var withP = Ok("login", "-u", "alice", "-p", "s3cret", server);
        Assert.Contains("WARNING! Using --password via the CLI is insecure", withP.Stderr);
        Ok("logout", server);
    }

    [Fact]
    public void LyingRegistryIsRejectedAndNothingIsStored()
    {
        using var liar = new LyingRegistry();
        string blobs = Path.Combine(_d.DataRoot, "content", "blobs", "sha256"), snapshots = Path.Combine(_d.DataRoot, "snapshots");
        int Count(string dir) => Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir).Length : 0;
        int blobsBefore = Count(blobs), snapshotsBefore = Count(snapshots);
        string imagesBefore = Ok("images", "-q", "--no-trunc").Stdout;

        foreach (var (repo, error) in new[]
                 {
                     ("corrupt", "expected"), ("missing", "not found"), ("badsize", "the index says"), ("cut", "the connection was cut mid-transfer"),
                 })
        {
            var r = _d.Berth("pull", $"{liar.HostPort}/{repo}:v1");
            Assert.True(r.ExitCode == 1, $"{repo}: {r}");
            Assert.Contains(error, r.Stderr);
            Assert.Equal(imagesBefore, Ok("images", "-q", "--no-trunc").Stdout);
            Assert.Equal(blobsBefore, Count(blobs));
            Assert.Equal(snapshotsBefore, Count(snapshots));
        }

        // Invalid names and tags are refused before anything is fetched.
        Assert.Contains("invalid reference format", _d.Berth("pull", liar.HostPort + "/../etc:v1").Stderr);
        Assert.Contains("invalid reference format", _d.Berth("pull", liar.HostPort + "/ok:bad/tag").Stderr);
        Assert.Contains("invalid reference format", _d.Berth("push", liar.HostPort + "/a/../b:v1").Stderr);
        Assert.Contains("An image does not exist locally with the tag", _d.Berth("push", liar.HostPort + "/absent:v1").Stderr);

        // A layer cut once is resumed with a Range request and the pull completes.
        var resumed = Ok("pull", $"{liar.HostPort}/cutonce:v1");
        Assert.Contains("Digest: " + liar.ManifestDigest, resumed.Stdout);
        Ok("rmi", $"{liar.HostPort}/cutonce:v1");
        Assert.Equal(blobsBefore, Count(blobs));
    }
}
