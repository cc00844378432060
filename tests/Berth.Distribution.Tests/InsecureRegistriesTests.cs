using System.Net;
using System.Net.Sockets;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>The daemon's --insecure-registry entries: names and CIDR ranges, what they match, and bad entries named.</summary>
public class InsecureRegistriesTests
{
    [Fact]
    public void NamesMatchExactlyAndRangesMatchTheHostAddress()
    {
        var insecure = new InsecureRegistries(["myreg.local:5000", "10.199.7.0/24", "HTTP://Other.Example:443/", "fd00:1::/64", "[fd00:2::5]:5000"]);
        Assert.True(insecure.Contains("myreg.local:5000"));
        Assert.False(insecure.Contains("myreg.local"));
        Assert.True(insecure.Contains("other.example:443"));
        Assert.True(insecure.Contains("10.199.7.2:5000"));
        Assert.True(insecure.Contains("10.199.7.2"));
        Assert.False(insecure.Contains("10.199.8.2:5000"));
        Assert.True(insecure.Contains("[fd00:1::9]:5000"));
        Assert.True(insecure.Contains("[fd00:2::5]:5000"));
        Assert.False(insecure.Contains("[fd00:3::1]:5000"));
        Assert.True(insecure.Contains("127.0.0.1:5000"));
        Assert.True(insecure.Contains("127.3.4.5"));
        Assert.True(insecure.Contains("[::1]:5000"));
        Assert.True(insecure.Contains("localhost:5000"));
        Assert.False(insecure.Contains("docker.io"));
        Assert.Equal(["10.199.7.0/24", "fd00:1::/64"], insecure.Ranges.Select(r => r.ToString()));
    }

    [Fact]
    public void HostBitsOfARangeAreClearedAsDockerDoes()
    {
        var insecure = new InsecureRegistries(["10.1.2.3/16"]);
        Assert.Equal("10.1.0.0/16", insecure.Ranges.Single().ToString());
        Assert.True(insecure.Contains("10.1.200.1:5000"));
    }

    [Theory]
    [InlineData("10.0.0.0/33", "is not a CIDR range")]
    [InlineData("10.0.0/8", "is not a CIDR range")]
    [InlineData("10.0.0.0/x", "is not a CIDR range")]
    [InlineData("ftp://reg:5000", "should not contain '://'")]
    [InlineData("reg:0", "expected host[:port]")]
    [InlineData("reg:70000", "expected host[:port]")]
    [InlineData("re g:5000", "expected host[:port]")]
    [InlineData("-reg:5000", "expected host[:port]")]
    [InlineData("", "expected host[:port]")]
    public void BadEntriesAreErrorsNamingThem(string entry, string why)
    {
        var e = Assert.Throws<BerthException>(() => new InsecureRegistries([entry]));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Contains($"\"{entry}\"", e.Message);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public async Task APlainHttpServerIsToldApartFromOtherTlsFailures()
    {
        // A plain HTTP server answers a TLS client hello with a 400, as distribution and Berth's own do.
        using var http = new TcpListener(IPAddress.Loopback, 0);
        http.Start();
        var serve = Task.Run(async () =>
        {
            using var client = await http.AcceptTcpClientAsync();
            var stream = client.GetStream();
            _ = await stream.ReadAsync(new byte[512]); // the client hello, or part of it: enough to answer
            await stream.WriteAsync("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
        });
        Assert.True(await TlsFailureProbe.AnswersTlsWithHttpAsync("127.0.0.1", ((IPEndPoint)http.LocalEndpoint).Port, CancellationToken.None));
        await serve;

        // A server that hangs up without a word is not taken for plain HTTP.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var hangUp = Task.Run(async () => (await silent.AcceptTcpClientAsync()).Dispose());
        Assert.False(await TlsFailureProbe.AnswersTlsWithHttpAsync("127.0.0.1", ((IPEndPoint)silent.LocalEndpoint).Port, CancellationToken.None));
        await hangUp;
    }

    [Fact]
    public async Task AnUntrustedCertificateIsNamedAsSuch()
    {
        var dir = new TempDir("berth-registry-tls-probe-");
        var (cert, key) = ServerAuthTests.WriteSelfSignedPem(dir);
        await using var r = await TestRegistry.StartAsync(cert: cert, key: key, dir: dir);
        int port = r.Server.BaseAddress.Port;
        string? why = await TlsFailureProbe.DiagnoseAsync("127.0.0.1", port, null, CancellationToken.None);
        Assert.Equal("the certificate of CN=127.0.0.1 is not trusted (UntrustedRoot)", why);

        // With the registry's own CA (here the certificate itself) it chains; a name it does not hold is still named.
        var policy = new System.Security.Cryptography.X509Certificates.X509ChainPolicy
        {
            TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust,
            RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(cert)));
        Assert.Null(await TlsFailureProbe.DiagnoseAsync("127.0.0.1", port, policy, CancellationToken.None));
        Assert.Equal("the certificate is not for localhost (subject CN=127.0.0.1)", await TlsFailureProbe.DiagnoseAsync("localhost", port, policy, CancellationToken.None));
    }
}
