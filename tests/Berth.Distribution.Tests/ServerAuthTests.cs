using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Berth.Core;

namespace Berth.Distribution.Tests;

public class ServerAuthTests
{
    internal static string WriteHtpasswd(TempDir dir, string user, string password)
    {
        // htpasswd -B writes the $2y$ prefix; the algorithm is the same as $2a$.
        string hash = "$2y$" + BCrypt.Net.BCrypt.HashPassword(password, 5)[4..];
        string path = dir.Sub("htpasswd");
        File.WriteAllText(path, $"{user}:{hash}\n");
        return path;
    }

    internal static (string Cert, string Key) WriteSelfSignedPem(TempDir dir)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(dir.Sub("cert.pem"), cert.ExportCertificatePem());
        File.WriteAllText(dir.Sub("key.pem"), key.ExportPkcs8PrivateKeyPem());
        return (dir.Sub("cert.pem"), dir.Sub("key.pem"));
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    [Fact]
    public async Task AuthOnRequiresRightCredentials()
    {
        var dir = new TempDir("berth-registry-auth-");
        string htpasswd = WriteHtpasswd(dir, "alice", "s3cret");
        await using var r = await TestRegistry.StartAsync(htpasswd, dir: dir);

        using (var anon = await r.Http.GetAsync("/v2/"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anon.StatusCode);
            Assert.StartsWith("Basic realm=", anon.Headers.WwwAuthenticate.Single().ToString());
            Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(anon));
        }
        foreach (var (user, pw) in new[] { ("alice", "wrong"), ("bob", "s3cret"), ("alice", "") })
        {
            var req = new HttpRequestMessage(HttpMethod.Get, "/v2/");
            req.Headers.Authorization = Basic(user, pw);
            using var res = await r.Http.SendAsync(req);
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
        }
        var ok = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        ok.Headers.Authorization = Basic("alice", "s3cret");
        using (var res = await r.Http.SendAsync(ok)) Assert.Equal(HttpStatusCode.OK, res.StatusCode);

        // Every endpoint is protected, not only /v2/.
        using (var res = await r.Http.GetAsync("/v2/_catalog")) Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
        r.Http.DefaultRequestHeaders.Authorization = Basic("alice", "s3cret");
        await r.PushBlobAsync("private/repo", Encoding.UTF8.GetBytes("secret layer"));
    }

    [RequiresBinaryFact("/usr/bin/htpasswd")]
    public async Task AcceptsEntriesWrittenByApacheHtpasswdB()
    {
        using var dir = new TempDir();
        string path = dir.Sub("htpasswd");
        await ExternalTool.RunAsync("/usr/bin/htpasswd", "-B", "-b", "-c", path, "erin", "pa:ss w0rd");
        Assert.StartsWith("erin:$2y$", File.ReadAllText(path));
        var file = new HtpasswdFile(path);
        Assert.True(file.Verify("erin", "pa:ss w0rd"));
        Assert.False(file.Verify("erin", "pa:ss"));
        Assert.True(file.Authorize(Basic("erin", "pa:ss w0rd").ToString()));
        Assert.False(file.Authorize(Basic("erin", "wrong").ToString()));
        await ExternalTool.RunAsync("/usr/bin/htpasswd", "-b", "-s", path, "frank", "pw");
        Assert.Contains("frank", Assert.Throws<BerthException>(() => new HtpasswdFile(path)).Message);
    }

    [Fact]
    public void NonBcryptHtpasswdEntriesAreRefusedByName()
    {
        using var dir = new TempDir();
        string path = dir.Sub("htpasswd");
        File.WriteAllText(path, "carol:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=\n");
        var e = Assert.Throws<BerthException>(() => new HtpasswdFile(path));
        Assert.Contains("carol", e.Message);
        Assert.Contains("bcrypt", e.Message);
        File.WriteAllText(path, "dave:plaintext\n");
        Assert.Throws<BerthException>(() => new HtpasswdFile(path));
    }

    [Fact]
    public async Task TlsServesHttpsFromPemPair()
    {
        var dir = new TempDir("berth-registry-tls-");
        var (cert, key) = WriteSelfSignedPem(dir);
        await using var r = await TestRegistry.StartAsync(cert: cert, key: key, dir: dir);
        Assert.Equal("https", r.Server.BaseAddress.Scheme);
        using var res = await r.Http.GetAsync("/v2/");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
    }

    [Fact]
    public void ServeFlagsAreParsedAndBadOnesNamed()
    {
        var o = RegistryCommand.ParseOptions(new[] { "--addr", "127.0.0.1:5001", "--root=/tmp/x", "--htpasswd", "/h" }, out _);
        Assert.Equal("127.0.0.1:5001", o.Address);
        Assert.Equal("/tmp/x", o.Root);
        Assert.Equal("/h", o.HtpasswdFile);
        Assert.Contains("--bogus", Assert.Throws<BerthException>(() => RegistryCommand.ParseOptions(new[] { "--bogus" }, out _)).Message);
        Assert.Contains("--root", Assert.Throws<BerthException>(() => RegistryCommand.ParseOptions(Array.Empty<string>(), out _)).Message);
        Assert.Contains("nowhere:port", Assert.Throws<BerthException>(() => RegistryServer.ParseAddress("nowhere:port")).Message);
        Assert.Equal(2, RegistryCommand.Run(new[] { "frobnicate", "--root", "/tmp/x" }));
    }
}
