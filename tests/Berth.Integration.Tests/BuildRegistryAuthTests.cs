using Xunit.Abstractions;

namespace Berth.Integration.Tests;

/// <summary>
/// FROM an image in a registry that needs a login: the CLI (Berth's, and the stock docker CLI's classic builder) sends its
/// stored logins in X-Registry-Config and the daemon's build pulls with them; without a login the build fails saying so.
/// </summary>
[Trait("Category", "Root")]
public sealed class BuildRegistryAuthTests(BuildFixture fixture, ITestOutputHelper output) : IClassFixture<BuildFixture>
{
    private const string DockerCli = "/usr/local/bin/docker";
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    /// <summary>A private registry holding busybox as <c>private/base:1</c>; the config.json is left without its login.</summary>
    private (LoopbackRegistry Registry, string Image) PrivateBase(string user, string password)
    {
        var registry = LoopbackRegistry.StartBerth(_d.Binary, user, password);
        string image = registry.HostPort + "/private/base:1";
        var login = _d.BerthWithInput(password + "\n", "login", "-u", user, "--password-stdin", registry.HostPort);
        Assert.True(login.ExitCode == 0, login.ToString());
        Ok("tag", "busybox", image);
        Ok("push", image);
        Ok("rmi", image);
        Ok("logout", registry.HostPort);
        return (registry, image);
    }

    [Fact]
    public void BerthBuildPullsAPrivateBaseImageWithTheStoredLogin()
    {
        var (registry, image) = PrivateBase("carol", "build-pass");
        using var _ = registry;
        string ctx = fixture.Context(("Dockerfile", $"FROM {image}\nRUN echo built on a private base > /made\n"));

        var anonymous = _d.Berth("build", "-t", "bra-private", ctx);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains($"registry {registry.HostPort}", anonymous.Stderr);
        Assert.Contains("unauthorized: authentication required (no credentials; log in first)", anonymous.Stderr);
        Assert.NotEqual(0, _d.Berth("image", "inspect", "bra-private").ExitCode);
        Assert.NotEqual(0, _d.Berth("image", "inspect", image).ExitCode);

        // Logged in (also to another registry, whose entry goes along unused): the build pulls the base with the login.
        Assert.Equal(0, _d.BerthWithInput("build-pass\n", "login", "-u", "carol", "--password-stdin", registry.HostPort).ExitCode);
        string config = Path.Combine(_d.Root, "docker-config", "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(config))!;
        json["auths"]!["other.example:5000"] = new System.Text.Json.Nodes.JsonObject { ["auth"] = Convert.ToBase64String("someone:else"u8.ToArray()) };
        File.WriteAllText(config, json.ToJsonString());
        var built = Ok("build", "-t", "bra-private", ctx);
        Assert.Contains("1: Pulling from private/base", built.Stdout);
        Assert.Contains("Status: Downloaded newer image for " + image, built.Stdout);
        Assert.Equal("built on a private base\n", Ok("run", "--rm", "bra-private", "cat", "/made").Stdout);
        Ok("rmi", "bra-private", image);

        // Credentials the registry refuses: the error names the user.
        File.WriteAllText(config, File.ReadAllText(config).Replace(Convert.ToBase64String("carol:build-pass"u8.ToArray()), Convert.ToBase64String("carol:wrong"u8.ToArray())));
        var refused = _d.Berth("build", "-t", "bra-private", ctx);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("the registry refused the credentials of user \"carol\"", refused.Stderr);
        Ok("logout", registry.HostPort);

        // The login kept by a credential helper (credsStore): listed, fetched and sent as well.
        string helperDir = Path.Combine(_d.Root, "cred-helper");
        Directory.CreateDirectory(helperDir);
        string helper = Path.Combine(helperDir, "docker-credential-berthtest");
        File.WriteAllText(helper, $$"""
            #!/bin/sh
            case "$1" in
              list) echo '{"{{registry.HostPort}}":"carol"}' ;;
              get) read server; [ "$server" = "{{registry.HostPort}}" ] || { echo "credentials not found in native keychain"; exit 1; }
                   echo '{"ServerURL":"{{registry.HostPort}}","Username":"carol","Secret":"build-pass"}' ;;
              *) exit 1 ;;
            esac
            """);
        File.SetUnixFileMode(helper, (UnixFileMode)0x1ed);
        File.WriteAllText(config, """{"credsStore":"berthtest"}""");
        var helped = _d.Run("/usr/bin/env", ["PATH=" + helperDir + ":" + Environment.GetEnvironmentVariable("PATH"), _d.Binary, "build", "-t", "bra-private", ctx], null);
        Assert.True(helped.ExitCode == 0, helped.ToString());
        Assert.Contains("Status: Downloaded newer image for " + image, helped.Stdout);
        Ok("rmi", "bra-private", image);

        // A credential helper that is not there is named, not skipped.
        var missing = _d.Berth("build", "-t", "bra-private", ctx);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("docker-credential-berthtest", missing.Stderr);
        File.Delete(config);
    }

    [Fact]
    public void DockerClassicBuildSendsItsLoginsToBerth()
    {
        if (!File.Exists(DockerCli))
        {
            output.WriteLine("SKIPPED: no docker CLI at " + DockerCli);
            return;
        }
        var (registry, image) = PrivateBase("dave", "docker-pass");
        using var _ = registry;
        string ctx = fixture.Context(("Dockerfile", $"FROM {image}\nRUN echo docker built it > /made\n"));
        // The classic builder (POST /build); docker 28 would otherwise look for buildx.
        CommandResult Docker(string? stdin, params string[] args) => _d.Run("/usr/bin/env", ["DOCKER_BUILDKIT=0", DockerCli, .. args], stdin, 120_000);

        var anonymous = Docker(null, "build", "-t", "bra-docker", ctx);
        Assert.NotEqual(0, anonymous.ExitCode);
        Assert.Contains("unauthorized: authentication required (no credentials; log in first)", anonymous.Stderr + anonymous.Stdout);

        Assert.Equal(0, Docker("docker-pass\n", "login", "-u", "dave", "--password-stdin", registry.HostPort).ExitCode);
        var built = Docker(null, "build", "-t", "bra-docker", ctx);
        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.Contains("Status: Downloaded newer image for " + image, built.Stdout);
        Assert.Equal("docker built it\n", Ok("run", "--rm", "bra-docker", "cat", "/made").Stdout);
        Ok("rmi", "bra-docker", image);
        Assert.Equal(0, Docker(null, "logout", registry.HostPort).ExitCode);
    }
}
