using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Integration.Tests;

/// <summary>
/// --insecure-registry against registries on an address that is not loopback (a peer network namespace): plain HTTP and
/// unverified TLS only for the registries named, or in the ranges given; TLS with verification for every other.
/// </summary>
[Trait("Category", "Root")]
public sealed class InsecureRegistryTests : IDisposable
{
    private readonly PeerNetns _peer = new();
    private readonly BerthDaemon _d;

    public InsecureRegistryTests()
    {
        try
        {
            _d = new BerthDaemon();
            _d.Ok("image", "bootstrap");
        }
        catch
        {
            _d?.Dispose();
            _peer.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _d.Dispose();
        _peer.Dispose();
    }

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    /// <summary>Restarts the daemon with these flags only (its data stays).</summary>
    private void Restart(params string[] flags)
    {
        _d.Stop();
        _d.ExtraArgs.Clear();
        _d.ExtraArgs.AddRange(flags);
        _d.Start();
    }

    private string Blobs => Path.Combine(_d.DataRoot, "content", "blobs", "sha256");

    private void RefusedWithNothingStored(string[] command, params string[] errors)
    {
        int blobs = Directory.GetFiles(Blobs).Length;
        string images = Ok("images", "-q", "--no-trunc").Stdout;
        var r = _d.Berth(command);
        Assert.True(r.ExitCode == 1, string.Join(' ', command) + ": " + r);
        foreach (var error in errors) Assert.Contains(error, r.Stderr);
        Assert.Equal(blobs, Directory.GetFiles(Blobs).Length);
        Assert.Equal(images, Ok("images", "-q", "--no-trunc").Stdout);
    }

    private void PushPullRun(string image, string word)
    {
        Ok("tag", "busybox", image);
        Ok("push", image);
        Ok("rmi", image);
        Assert.Contains("Pull complete", Ok("pull", image).Stdout);
        Assert.Equal(word + "\n", Ok("run", "--rm", "--network", "none", image, "echo", word).Stdout);
        Ok("rmi", image);
    }

    [Fact]
    public void PlainHttpRegistryNeedsItsNameOrRangeInInsecureRegistry()
    {
        using var registry = LoopbackRegistry.StartBerthIn(_peer, _d.Binary);
        string image = registry.HostPort + "/insecure/busybox:1";

        // Not loopback and not named: TLS is required, and the error says what the server did and what to do.
        RefusedWithNothingStored(["pull", image], "https://" + registry.HostPort, "the server gave an HTTP response to an HTTPS client",
            "--insecure-registry " + registry.HostPort);
        Ok("tag", "busybox", image);
        RefusedWithNothingStored(["push", image], "the server gave an HTTP response to an HTTPS client");
        Ok("rmi", image);

        Restart("--insecure-registry", registry.HostPort);
        PushPullRun(image, "by-name");
        Assert.Contains("  " + registry.HostPort + "\n", Ok("info").Stdout);

        Restart("--insecure-registry", _peer.Subnet);
        PushPullRun(image, "by-range");
        var info = Ok("info").Stdout;
        Assert.Contains(" Insecure Registries:\n", info);
        Assert.Contains("  " + _peer.Subnet + "\n", info);
        Assert.Contains("  127.0.0.0/8\n", info);
        if (File.Exists("/usr/local/bin/docker"))
        {
            // The docker CLI reads the same from /info.
            var docker = _d.Run("/usr/local/bin/docker", ["info"], null);
            Assert.Contains(" Insecure Registries:\n", docker.Stdout);
            Assert.Contains("  " + _peer.Subnet + "\n", docker.Stdout);
        }

        // A range that does not hold the registry's address, and a name with another port, do not make it insecure.
        Restart("--insecure-registry", "10.199.0.0/30", "--insecure-registry", _peer.PeerAddress + ":1");
        RefusedWithNothingStored(["pull", image], "the server gave an HTTP response to an HTTPS client");
    }

    [Fact]
    public void InsecureRegistryOverTlsWithAnUntrustedCertificateIsUsedWithoutVerification()
    {
        var (cert, key) = SelfSigned(_peer.PeerAddress);
        using var registry = LoopbackRegistry.StartBerthIn(_peer, _d.Binary, cert, key);
        string image = registry.HostPort + "/insecure/tls:1";

        RefusedWithNothingStored(["pull", image], "https://" + registry.HostPort, "the certificate of CN=berth insecure registry is not trusted (UntrustedRoot)",
            "--insecure-registry " + registry.HostPort);

        // Insecure means TLS without verification first (then plain HTTP): this registry is used over TLS.
        Restart("--insecure-registry", registry.HostPort);
        PushPullRun(image, "tls-unverified");
        Restart("--insecure-registry", _peer.Subnet);
        PushPullRun(image, "tls-in-range");
    }

    [Fact]
    public void BadInsecureRegistryEntriesStopTheDaemonNamingThem()
    {
        foreach (var (entry, why) in new[] { ("10.0.0.0/33", "is not a CIDR range"), ("ftp://reg:5000", "should not contain '://'"), ("reg:99999", "expected host[:port]") })
        {
            var ex = Assert.Throws<InvalidOperationException>(() => Restart("--insecure-registry", entry));
            Assert.Contains($"insecure registry \"{entry}\"", ex.Message);
            Assert.Contains(why, ex.Message);
        }
        Restart();
    }

    private static (string Cert, string Key) SelfSigned(IPAddress address)
    {
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=berth insecure registry", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(address);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12));
        return (cert.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());
    }
}
