using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Berth.Integration.Tests;

/// <summary>
/// Token auth end to end: the daemon's client against Berth's token-issuing registry (berth and docker CLIs, identity
/// tokens in config.json), and distribution 2.8 accepting tokens that Berth's issuer signed.
/// </summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class RegistryTokenAuthTests(DaemonFixture fixture, ITestOutputHelper output)
{
    private const string DockerCli = "/usr/local/bin/docker";
    private readonly BerthDaemon _d = fixture.Daemon;

    private string ConfigPath => Path.Combine(_d.Root, "docker-config", "config.json");

    private CommandResult Ok(string file, params string[] args)
    {
        var r = _d.Run(file, args, null, 120_000);
        Assert.True(r.ExitCode == 0, $"{file} {string.Join(' ', args)}: {r}");
        return r;
    }

    /// <summary>The config.json entry of a server: its "auth" decoded, and its identity token.</summary>
    private (string Auth, string? IdentityToken) StoredLogin(string server)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ConfigPath));
        var entry = doc.RootElement.GetProperty("auths").GetProperty(server);
        string auth = Encoding.UTF8.GetString(Convert.FromBase64String(entry.GetProperty("auth").GetString()!));
        return (auth, entry.TryGetProperty("identitytoken", out var t) ? t.GetString() : null);
    }

    [Fact]
    public void BerthLogsInWithAnIdentityTokenAndPushesAndPulls()
    {
        using var registry = LoopbackRegistry.StartBerth(_d.Binary, "alice", "s3cret", ["--token-auth"]);
        string server = registry.HostPort, image = server + "/tok/busybox:1";
        if (File.Exists(ConfigPath)) File.Delete(ConfigPath);
        Ok(_d.Binary, "tag", "busybox", image);

        var anonymous = _d.Berth("push", image);
        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains("without credentials; log in first", anonymous.Stderr);

        var wrong = _d.BerthWithInput("wrong\n", "login", "-u", "alice", "--password-stdin", server);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("incorrect username or password", wrong.Stderr);
        Assert.DoesNotContain("wrong", wrong.Stderr.Replace("incorrect", ""));
        Assert.False(File.Exists(ConfigPath));

        var login = _d.BerthWithInput("s3cret\n", "login", "-u", "alice", "--password-stdin", server);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Login Succeeded", login.Stdout);
        var (auth, identity) = StoredLogin(server);
        Assert.Equal("alice:", auth); // the identity token replaces the password
        Assert.False(string.IsNullOrEmpty(identity));
        Assert.DoesNotContain("s3cret", File.ReadAllText(ConfigPath));

        Assert.Contains("1: digest: sha256:", Ok(_d.Binary, "push", image).Stdout);
        Ok(_d.Binary, "rmi", image);
        Assert.Contains("Pull complete", Ok(_d.Binary, "pull", image).Stdout);
        Assert.Equal("via token\n", Ok(_d.Binary, "run", "--rm", image, "echo", "via token").Stdout);
        Ok(_d.Binary, "rmi", image);

        // A broken identity token is refused with a hint, and nothing is pulled.
        File.WriteAllText(ConfigPath, File.ReadAllText(ConfigPath).Replace(identity!, identity![..^4] + "AAAA"));
        var refused = _d.Berth("pull", image);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("log in again", refused.Stderr);
        Assert.Empty(Ok(_d.Binary, "images", "-q", image).Stdout);

        Ok(_d.Binary, "logout", server);
        var denied = _d.Berth("pull", image);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("log in first", denied.Stderr);
    }

    [Fact]
    public void DockerCliLogsInPushesAndPullsThroughBerthToATokenRegistry()
    {
        if (!File.Exists(DockerCli))
        {
            output.WriteLine("SKIPPED: no docker CLI at " + DockerCli);
            return;
        }
        using var registry = LoopbackRegistry.StartBerth(_d.Binary, "dana", "pa55", ["--token-auth"]);
        string server = registry.HostPort, image = server + "/dk/tokens:1";
        if (File.Exists(ConfigPath)) File.Delete(ConfigPath);

        var wrong = _d.Run(DockerCli, ["login", "-u", "dana", "--password-stdin", server], "nope\n");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("incorrect username or password", wrong.Stderr);
        var login = _d.Run(DockerCli, ["login", "-u", "dana", "--password-stdin", server], "pa55\n");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Login Succeeded", login.Stdout);
        var (_, identity) = StoredLogin(server);
        Assert.False(string.IsNullOrEmpty(identity)); // the docker CLI keeps the identity token Berth's daemon handed back

        Ok(DockerCli, "tag", "busybox", image);
        Assert.Contains("1: digest: sha256:", Ok(DockerCli, "push", image).Stdout);
        Ok(DockerCli, "rmi", image);
        Assert.Contains("Status: Downloaded newer image for " + image, Ok(DockerCli, "pull", image).Stdout);
        Assert.Equal("docker token\n", Ok(DockerCli, "run", "--rm", image, "echo", "docker token").Stdout);
        Ok(DockerCli, "rmi", image);

        Ok(DockerCli, "logout", server);
        var denied = _d.Run(DockerCli, ["pull", image], null);
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("log in first", denied.Stderr);
    }

    [Fact]
    public void DistributionAcceptsTokensBerthIssues()
    {
        if (!File.Exists(LoopbackRegistry.DistributionBinary))
        {
            output.WriteLine("SKIPPED: docker-registry is not installed");
            return;
        }
        string dir = Path.Combine(Path.GetTempPath(), "berth-it-token-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        try
        {
            using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                File.WriteAllText(Path.Combine(dir, "key.pem"), key.ExportPkcs8PrivateKeyPem());
                using var cert = new CertificateRequest("CN=berth token issuer", key, HashAlgorithmName.SHA256)
                    .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
                File.WriteAllText(Path.Combine(dir, "cert.pem"), cert.ExportCertificatePem());
            }
            using var issuer = LoopbackRegistry.StartBerth(_d.Binary, "erin", "s3cret",
                ["--token-auth", "--token-key", Path.Combine(dir, "key.pem"), "--token-service", "dist-registry", "--token-issuer", "berth-issuer"]);
            using var registry = LoopbackRegistry.StartDistributionWithTokens($"http://{issuer.HostPort}/token", "dist-registry", "berth-issuer", Path.Combine(dir, "cert.pem"))!;
            string server = registry.HostPort, image = server + "/dist/busybox:1";
            if (File.Exists(ConfigPath)) File.Delete(ConfigPath);
            Ok(_d.Binary, "tag", "busybox", image);

            var anonymous = _d.Berth("push", image);
            Assert.Equal(1, anonymous.ExitCode);
            Assert.Contains("log in first", anonymous.Stderr);

            var login = _d.BerthWithInput("s3cret\n", "login", "-u", "erin", "--password-stdin", server);
            Assert.True(login.ExitCode == 0, login.ToString());
            Assert.False(string.IsNullOrEmpty(StoredLogin(server).IdentityToken));
            Assert.Contains("1: digest: sha256:", Ok(_d.Binary, "push", image).Stdout);
            Ok(_d.Binary, "rmi", image);
            Assert.Contains("Pull complete", Ok(_d.Binary, "pull", image).Stdout);
            Ok(_d.Binary, "rmi", image);
            Ok(_d.Binary, "logout", server);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
