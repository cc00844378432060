using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Berth.Integration.Tests;

/// <summary>A TLS registry with a private CA: refused until its CA is in the daemon's certs.d, then push and pull work.</summary>
[Trait("Category", "Root")]
public sealed class RegistryTlsTests : IDisposable
{
    private readonly string _certsDir = Directory.CreateTempSubdirectory("berth-it-certs-").FullName;
    private readonly BerthDaemon _d;

    public RegistryTlsTests()
    {
        _d = new BerthDaemon(["--registry-certs-dir", _certsDir]);
        _d.Ok("image", "bootstrap");
    }

    public void Dispose()
    {
        _d.Dispose();
        Directory.Delete(_certsDir, true);
    }

    [Fact]
    public void PrivateCaInCertsDirIsTrustedForThatRegistryOnly()
    {
        // The registry listens on the test daemon's own bridge gateway: not loopback, so the daemon must use TLS.
        var gateway = IPAddress.Parse(_d.BridgeCidr.Split('/')[0]);
        using var caKey = RSA.Create(2048);
        var caReq = new CertificateRequest("CN=berth test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caReq.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var leafKey = RSA.Create(2048);
        var leafReq = new CertificateRequest("CN=berth test registry", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(gateway);
        leafReq.CertificateExtensions.Add(san.Build());
        leafReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leaf = leafReq.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), [1, 2, 3, 4]);

        using var registry = LoopbackRegistry.StartBerthTls(_d.Binary, gateway, leaf.ExportCertificatePem(), leafKey.ExportPkcs8PrivateKeyPem());
        string image = registry.HostPort + "/tls/busybox:1";
        _d.Ok("tag", "busybox", image);

        var untrusted = _d.Berth("push", image);
        Assert.NotEqual(0, untrusted.ExitCode);
        Assert.Contains("https://" + registry.HostPort, untrusted.Stderr + untrusted.Stdout);
        Assert.Contains("is not trusted (", untrusted.Stderr);
        Assert.Contains(Path.Combine(_certsDir, registry.HostPort, "ca.crt"), untrusted.Stderr);

        string dir = Path.Combine(_certsDir, registry.HostPort);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "ca.crt"), ca.ExportCertificatePem());
        var pushed = _d.Berth("push", image);
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        _d.Ok("rmi", image);
        _d.Ok("pull", image);
        Assert.Equal("tls-ok", _d.Out("run", "--rm", "--network", "none", image, "echo", "tls-ok"));

        // A file in the registry's directory that is not a certificate is named, not ignored.
        File.WriteAllText(Path.Combine(dir, "junk.crt"), "not a certificate");
        var junk = _d.Berth("pull", image);
        Assert.NotEqual(0, junk.ExitCode);
        Assert.Contains("junk.crt", junk.Stderr + junk.Stdout);
    }
}
