using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>The registry server with token auth: its challenges, its built-in token endpoint, and tokens of an external issuer.</summary>
public class ServerTokenAuthTests
{
    internal static Task<TestRegistry> StartAsync(TempDir dir, Action<RegistryServerOptions>? more = null)
    {
        string htpasswd = ServerAuthTests.WriteHtpasswd(dir, "alice", "s3cret");
        return TestRegistry.StartAsync(htpasswd, dir: dir, configure: o =>
        {
            o.TokenAuth = true;
            more?.Invoke(o);
        });
    }

    internal static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> TokenAsync(TestRegistry r, string query, AuthenticationHeaderValue? auth = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Get, "/token" + query);
        req.Headers.Authorization = auth;
        using var res = await r.Http.SendAsync(req);
        return (res.StatusCode, JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private static async Task<HttpResponseMessage> SendAsync(TestRegistry r, HttpMethod method, string path, string? token)
    {
        var req = new HttpRequestMessage(method, path);
        if (token != null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (method == HttpMethod.Post) req.Content = new ByteArrayContent([]);
        return await r.Http.SendAsync(req);
    }

    private static string Challenge(HttpResponseMessage res) => res.Headers.WwwAuthenticate.Single().ToString();

    [Fact]
    public async Task ChallengesNameTheRealmServiceAndScopeOfEachRequest()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await StartAsync(dir);
        string realm = $"Bearer realm=\"{r.Server.BaseAddress}token\",service=\"berth-registry\"";
        foreach (var (method, path, scope) in new[]
                 {
                     (HttpMethod.Get, "/v2/", null),
                     (HttpMethod.Get, "/v2/a/b/manifests/latest", "repository:a/b:pull"),
                     (HttpMethod.Head, "/v2/a/blobs/sha256:" + new string('0', 64), "repository:a:pull"),
                     (HttpMethod.Get, "/v2/a/tags/list", "repository:a:pull"),
                     (HttpMethod.Post, "/v2/a/b/blobs/uploads/", "repository:a/b:pull,push"),
                     (HttpMethod.Put, "/v2/a/manifests/v1", "repository:a:pull,push"),
                     (HttpMethod.Delete, "/v2/a/manifests/sha256:" + new string('0', 64), "repository:a:delete"),
                     (HttpMethod.Get, "/v2/_catalog", "registry:catalog:*"),
                 })
        {
            using var res = await SendAsync(r, method, path, null);
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
            Assert.Equal(realm + (scope != null ? $",scope=\"{scope}\"" : ""), Challenge(res));
            if (method != HttpMethod.Head) Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(res));
        }
        // Basic credentials are for the token endpoint, not for /v2.
        var basic = new HttpRequestMessage(HttpMethod.Get, "/v2/");
        basic.Headers.Authorization = Basic("alice", "s3cret");
        using (var res = await r.Http.SendAsync(basic)) Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
    }

    [Fact]
    public async Task UsersGetTokensForWhatTheyAskAndWrongPasswordsNone()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await StartAsync(dir);
        var (status, body) = await TokenAsync(r, "?service=berth-registry&scope=repository:team/app:pull,push&account=alice", Basic("alice", "s3cret"));
        Assert.Equal(HttpStatusCode.OK, status);
        string token = body.GetProperty("token").GetString()!;
        Assert.Equal(token, body.GetProperty("access_token").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());
        Assert.True(DateTimeOffset.TryParse(body.GetProperty("issued_at").GetString(), out _));
        Assert.False(body.TryGetProperty("refresh_token", out _)); // only with offline_token=true

        using (var res = await SendAsync(r, HttpMethod.Get, "/v2/", token)) Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        using (var res = await SendAsync(r, HttpMethod.Post, "/v2/team/app/blobs/uploads/", token)) Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        // The token names one repository; another needs its own token.
        using (var res = await SendAsync(r, HttpMethod.Get, "/v2/team/other/tags/list", token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
            Assert.Equal("DENIED", await TestRegistry.ErrorCodeAsync(res));
            Assert.EndsWith(",scope=\"repository:team/other:pull\",error=\"insufficient_scope\"", Challenge(res));
        }

        var (wrongStatus, wrong) = await TokenAsync(r, "?service=berth-registry&scope=repository:team/app:pull", Basic("alice", "nope"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal("incorrect username or password", wrong.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(r, "", Basic("mallory", "s3cret"))).Status);

        var (svcStatus, svc) = await TokenAsync(r, "?service=elsewhere", Basic("alice", "s3cret"));
        Assert.Equal(HttpStatusCode.BadRequest, svcStatus);
        Assert.Contains("\"elsewhere\"", svc.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenAsync(r, "?account=bob", Basic("alice", "s3cret"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenAsync(r, "?scope=nonsense", Basic("alice", "s3cret"))).Status);
    }

    [Fact]
    public async Task AnonymousTokensGrantNothingUnlessAnonymousPullIsOn()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await StartAsync(dir);
        var (status, body) = await TokenAsync(r, "?service=berth-registry&scope=repository:team/app:pull");
        Assert.Equal(HttpStatusCode.OK, status);
        string anonymous = body.GetProperty("token").GetString()!;
        using (var res = await SendAsync(r, HttpMethod.Get, "/v2/team/app/tags/list", anonymous))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
            Assert.Equal("DENIED", await TestRegistry.ErrorCodeAsync(res));
            Assert.Contains("error=\"insufficient_scope\"", Challenge(res));
        }

        using var openDir = new TempDir("berth-token-");
        await using var open = await StartAsync(openDir, o => o.TokenAnonymousPull = true);
        string pullOnly = (await TokenAsync(open, "?scope=repository:team/app:pull,push")).Body.GetProperty("token").GetString()!;
        using (var res = await SendAsync(open, HttpMethod.Get, "/v2/team/app/tags/list", pullOnly)) Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        using (var res = await SendAsync(open, HttpMethod.Post, "/v2/team/app/blobs/uploads/", pullOnly))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
            Assert.Equal("DENIED", await TestRegistry.ErrorCodeAsync(res));
        }
    }

    [Fact]
    public async Task BadTokensAreChallengedAsInvalid()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await StartAsync(dir);
        string refresh = (await TokenAsync(r, "?offline_token=true&client_id=t", Basic("alice", "s3cret"))).Body.GetProperty("refresh_token").GetString()!;
        foreach (var bad in new[] { "garbage", "a.b.c", refresh })
        {
            using var res = await SendAsync(r, HttpMethod.Get, "/v2/", bad);
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
            Assert.Equal("UNAUTHORIZED", await TestRegistry.ErrorCodeAsync(res));
            Assert.EndsWith("error=\"invalid_token\"", Challenge(res));
        }
    }

    [Fact]
    public async Task OfflineAccessGivesRefreshTokensRedeemedByOAuth2Posts()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await StartAsync(dir);
        var (_, login) = await TokenAsync(r, "?service=berth-registry&offline_token=true&client_id=docker&account=alice", Basic("alice", "s3cret"));
        string refresh = login.GetProperty("refresh_token").GetString()!;

        async Task<(HttpStatusCode, JsonElement)> Post(params (string, string)[] form)
        {
            using var res = await r.Http.PostAsync("/token", new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))));
            return (res.StatusCode, JsonDocument.Parse(await res.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var (status, body) = await Post(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", "docker"),
            ("service", "berth-registry"), ("scope", "repository:team/app:pull,push"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal("repository:team/app:pull,push", body.GetProperty("scope").GetString());
        Assert.Equal(refresh, body.GetProperty("refresh_token").GetString());
        using (var res = await SendAsync(r, HttpMethod.Post, "/v2/team/app/blobs/uploads/", body.GetProperty("access_token").GetString()))
            Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);

        var (pwStatus, pw) = await Post(("grant_type", "password"), ("username", "alice"), ("password", "s3cret"), ("client_id", "berth"), ("access_type", "offline"));
        Assert.Equal(HttpStatusCode.OK, pwStatus);
        Assert.True(pw.TryGetProperty("refresh_token", out _));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(("grant_type", "password"), ("username", "alice"), ("password", "x"), ("client_id", "berth"))).Item1);

        var tampered = refresh[..^4] + (refresh[^4..] == "AAAA" ? "BBBB" : "AAAA");
        var (badStatus, bad) = await Post(("grant_type", "refresh_token"), ("refresh_token", tampered), ("client_id", "berth"));
        Assert.Equal(HttpStatusCode.Unauthorized, badStatus);
        Assert.Contains("invalid refresh token", bad.GetProperty("errors")[0].GetProperty("message").GetString());
        // An access token is no refresh token.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Post(("grant_type", "refresh_token"), ("refresh_token", body.GetProperty("access_token").GetString()!), ("client_id", "berth"))).Item1);

        using (var res = await r.Http.PostAsync("/token", new StringContent("grant_type=password", Encoding.UTF8, "text/plain")))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, res.StatusCode);
        using (var res = await r.Http.PutAsync("/token", new ByteArrayContent([])))
            Assert.Equal(HttpStatusCode.MethodNotAllowed, res.StatusCode);
    }

    [Fact]
    public async Task ARestartedIssuerWithItsKeyFileHonoursItsRefreshTokens()
    {
        using var keys = new TempDir("berth-token-key-");
        using (var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256)) File.WriteAllText(keys.Sub("key.pem"), ec.ExportPkcs8PrivateKeyPem());
        string users = ServerAuthTests.WriteHtpasswd(keys, "alice", "s3cret");
        Task<TestRegistry> Start() => TestRegistry.StartAsync(users, dir: new TempDir("berth-token-"), configure: o => { o.TokenAuth = true; o.TokenKeyFile = keys.Sub("key.pem"); });
        string refresh;
        await using (var first = await Start())
            refresh = (await TokenAsync(first, "?offline_token=true", Basic("alice", "s3cret"))).Body.GetProperty("refresh_token").GetString()!;
        FormUrlEncodedContent Redeem() => new([new("grant_type", "refresh_token"), new("refresh_token", refresh), new("client_id", "t")]);
        await using (var second = await Start())
        using (var res = await second.Http.PostAsync("/token", Redeem()))
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);

        // A new password in the htpasswd file retires the refresh tokens issued before it.
        var dir = new TempDir("berth-token-");
        string htpasswd = ServerAuthTests.WriteHtpasswd(dir, "alice", "n3w");
        await using var third = await TestRegistry.StartAsync(htpasswd, dir: dir, configure: o => { o.TokenAuth = true; o.TokenKeyFile = keys.Sub("key.pem"); });
        using var refused = await third.Http.PostAsync("/token", Redeem());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("log in again", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnExternalIssuersTokensAreTrustedThroughItsCertificate()
    {
        using var issuerDir = new TempDir("berth-token-issuer-");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(issuerDir.Sub("key.pem"), key.ExportPkcs8PrivateKeyPem());
        using (var cert = new CertificateRequest("CN=berth token issuer", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1)))
            File.WriteAllText(issuerDir.Sub("bundle.pem"), cert.ExportCertificatePem());
        await using var issuer = await StartAsync(issuerDir, o =>
        {
            o.TokenKeyFile = issuerDir.Sub("key.pem");
            o.TokenService = "shared-registry";
            o.TokenIssuer = "central";
        });
        using var dir = new TempDir("berth-token-relying-");
        string realm = issuer.Server.BaseAddress + "token";
        await using var relying = await TestRegistry.StartAsync(dir: dir, configure: o =>
        {
            o.TokenRealm = realm;
            o.TokenService = "shared-registry";
            o.TokenIssuer = "central";
            o.TokenCertBundle = issuerDir.Sub("bundle.pem");
        });
        using (var res = await relying.Http.GetAsync("/v2/x/tags/list"))
            Assert.Equal($"Bearer realm=\"{realm}\",service=\"shared-registry\",scope=\"repository:x:pull\"", Challenge(res));
        using (var res = await relying.Http.GetAsync("/token")) Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);

        using var source = new LocalImages();
        var name = ImageReference.Parse($"{relying.HostPort}/ext/app:v1");
        source.MakeImage(name.FamiliarName, "ext");
        using var client = new RegistryClient(new RegistryClientOptions { Credentials = _ => new RegistryCredentials("alice", "s3cret") });
        await new ImagePusher(client).PushAsync(source.Images, name);
        using var target = new LocalImages();
        Assert.Equal("ext", target.ReadFile(await new ImagePuller(client).PullAsync(target.Images, name), "etc/seed"));

        // Another issuer's key, same names: refused.
        using var otherDir = new TempDir("berth-token-other-");
        await using var other = await StartAsync(otherDir, o => { o.TokenService = "shared-registry"; o.TokenIssuer = "central"; });
        string forged = (await TokenAsync(other, "?scope=repository:ext/app:pull", Basic("alice", "s3cret"))).Body.GetProperty("token").GetString()!;
        using (var res = await SendAsync(relying, HttpMethod.Get, "/v2/ext/app/tags/list", forged))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, res.StatusCode);
            Assert.Contains("untrusted key", await res.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public void TokenFlagsAreParsedAndWrongCombinationsNamed()
    {
        var o = RegistryCommand.ParseOptions(["--root", "/r", "--token-auth", "--token-key", "/k", "--token-anonymous-pull=false", "--htpasswd", "/h",
            "--token-realm=https://auth.example/token", "--token-service", "s", "--token-issuer", "i", "--token-cert-bundle", "/b"], out _);
        Assert.Equal((true, "/k", false, "https://auth.example/token", "s", "i", "/b"),
            (o.TokenAuth, o.TokenKeyFile, o.TokenAnonymousPull, o.TokenRealm, o.TokenService, o.TokenIssuer, o.TokenCertBundle));
        Assert.Contains("true or false", Assert.Throws<BerthException>(() => RegistryCommand.ParseOptions(["--root", "/r", "--token-auth=maybe"], out _)).Message);

        string Refused(Action<RegistryServerOptions> set)
        {
            var options = new RegistryServerOptions { Root = "/r" };
            set(options);
            return Assert.Throws<BerthException>(() => RegistryAuthSetup.Build(options)).Message;
        }
        Assert.Contains("--token-auth needs --htpasswd", Refused(x => x.TokenAuth = true));
        Assert.Contains("--token-service needs --token-auth", Refused(x => x.TokenService = "s"));
        Assert.Contains("--token-key", Refused(x => { x.TokenRealm = "https://a/token"; x.TokenKeyFile = "/k"; }));
        Assert.Contains("--token-anonymous-pull needs --token-auth", Refused(x => x.TokenAnonymousPull = true));
        Assert.Contains("not an absolute http(s) URL", Refused(x => { x.TokenAuth = true; x.TokenRealm = "/token"; }));
        Assert.Contains("needs --token-service, --token-issuer and --token-cert-bundle", Refused(x => x.TokenRealm = "https://a/token"));
        Assert.Contains("--htpasswd cannot be used", Refused(x => { x.TokenRealm = "https://a/token"; x.HtpasswdFile = "/h"; }));
        Assert.Contains("/nonexistent-bundle.pem", Refused(x => { x.TokenRealm = "https://a/t"; x.TokenService = "s"; x.TokenIssuer = "i"; x.TokenCertBundle = "/nonexistent-bundle.pem"; }));
    }
}
