using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>Berth's registry client against Berth's token-auth server: pushes, pulls, refusals, and identity tokens.</summary>
public class ClientTokenAuthTests
{
    /// <summary>Records every request the client sends (method and path, and a POSTed form's grant type).</summary>
    private sealed class RecordingHandler(HttpMessageHandler inner, List<string> seen) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            string line = $"{request.Method} {request.RequestUri!.AbsolutePath}";
            if (request.Content is FormUrlEncodedContent form)
                line += " " + string.Join('&', (await form.ReadAsStringAsync(ct)).Split('&').Where(p => p.StartsWith("grant_type=", StringComparison.Ordinal)));
            if (request.Headers.Authorization is { } auth) line += " " + auth.Scheme;
            lock (seen) seen.Add(line);
            return await base.SendAsync(request, ct);
        }
    }

    private static RegistryClient Client(List<string> seen, RegistryCredentials? creds, bool offline = false) => new(new RegistryClientOptions
    {
        Credentials = creds == null ? null : _ => creds,
        OfflineToken = offline,
        WrapHandler = inner => new RecordingHandler(inner, seen),
    });

    [Fact]
    public async Task PushAndPullWithTokensFromTheBuiltInIssuer()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await ServerTokenAuthTests.StartAsync(dir);
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/tok/app:v1");
        var image = source.MakeImage(name.FamiliarName, "tokens");
        var seen = new List<string>();
        using var client = Client(seen, new RegistryCredentials("alice", "s3cret"));
        Assert.Equal(image.ManifestDigest, (await new ImagePusher(client).PushAsync(source.Images, name)).ToString());
        using var target = new LocalImages();
        Assert.Equal("tokens", target.ReadFile(await new ImagePuller(client).PullAsync(target.Images, name), "etc/seed"));
        Assert.Contains("GET /token Basic", seen);
        Assert.DoesNotContain(seen, s => s.StartsWith("GET /v2/tok", StringComparison.Ordinal) && s.EndsWith("Basic", StringComparison.Ordinal));
        Assert.Contains(await client.ListTagsAsync(r.HostPort, "tok/app"), t => t == "v1");
    }

    [Fact]
    public async Task AWrongPasswordIsOneRefusedTokenRequestAndAClearError()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await ServerTokenAuthTests.StartAsync(dir);
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/tok/app:v1");
        source.MakeImage(name.FamiliarName);
        var seen = new List<string>();
        using var client = Client(seen, new RegistryCredentials("alice", "wrong"));
        var e = await Assert.ThrowsAsync<BerthException>(() => new ImagePusher(client).PushAsync(source.Images, name));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);
        Assert.Contains("refused the credentials of user \"alice\"", e.Message);
        Assert.Contains("incorrect username or password", e.Message);
        Assert.DoesNotContain("wrong", e.Message);
        Assert.Single(seen, s => s.StartsWith("GET /token", StringComparison.Ordinal));

        // The refusal is remembered: later requests of this client do not ask the token service again.
        seen.Clear();
        var login = await Assert.ThrowsAsync<BerthException>(() => client.CheckLoginAsync(r.HostPort));
        Assert.Equal(e.Message, login.Message);
        Assert.DoesNotContain(seen, s => s.StartsWith("GET /token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnonymousClientsAreRefusedUnlessAnonymousPullIsOn()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await ServerTokenAuthTests.StartAsync(dir, o => o.TokenAnonymousPull = true);
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/pub/app:v1");
        source.MakeImage(name.FamiliarName, "public");
        using (var writer = new RegistryClient(new RegistryClientOptions { Credentials = _ => new RegistryCredentials("alice", "s3cret") }))
            await new ImagePusher(writer).PushAsync(source.Images, name);

        using var anonymous = new RegistryClient();
        using var target = new LocalImages();
        Assert.Equal("public", target.ReadFile(await new ImagePuller(anonymous).PullAsync(target.Images, name), "etc/seed"));
        var other = ImageReference.Parse($"{r.HostPort}/pub/other:v1");
        source.MakeImage(other.FamiliarName, "other");
        var push = await Assert.ThrowsAsync<BerthException>(() => new ImagePusher(anonymous).PushAsync(source.Images, other));
        Assert.Equal(ErrorKind.Unauthorized, push.Kind);
        Assert.Contains("no pull,push access to pub/other without credentials; log in first", push.Message);

        using var closedDir = new TempDir("berth-token-");
        await using var closed = await ServerTokenAuthTests.StartAsync(closedDir);
        var pull = await Assert.ThrowsAsync<BerthException>(() => anonymous.GetManifestAsync(closed.HostPort, "pub/app", "v1"));
        Assert.Equal(ErrorKind.Unauthorized, pull.Kind);
        Assert.Contains("log in first", pull.Message);
    }

    [Fact]
    public async Task LoginTakesAnIdentityTokenThatLaterRequestsRedeem()
    {
        using var dir = new TempDir("berth-token-");
        await using var r = await ServerTokenAuthTests.StartAsync(dir);
        var seen = new List<string>();
        using var login = Client(seen, new RegistryCredentials("alice", "s3cret"), offline: true);
        await login.CheckLoginAsync(r.HostPort);
        string identity = login.IdentityToken ?? throw new InvalidOperationException("login got no identity token");
        Assert.Contains(seen, s => s.StartsWith("GET /token Basic", StringComparison.Ordinal));

        using var source = new LocalImages();
        var name = ImageReference.Parse($"{r.HostPort}/idt/app:v1");
        source.MakeImage(name.FamiliarName, "identity");
        seen.Clear();
        using var client = Client(seen, new RegistryCredentials("alice", "") { IdentityToken = identity });
        await new ImagePusher(client).PushAsync(source.Images, name);
        using var target = new LocalImages();
        Assert.Equal("identity", target.ReadFile(await new ImagePuller(client).PullAsync(target.Images, name), "etc/seed"));
        Assert.Contains("POST /token grant_type=refresh_token", seen);
        Assert.DoesNotContain(seen, s => s.StartsWith("GET /token", StringComparison.Ordinal));
        Assert.Null(client.IdentityToken); // only a login keeps what the service hands back

        using var forged = Client(seen, new RegistryCredentials("alice", "") { IdentityToken = identity[..^2] + "xx" });
        var e = await Assert.ThrowsAsync<BerthException>(() => forged.GetManifestAsync(r.HostPort, "idt/app", "v1"));
        Assert.Equal(ErrorKind.Unauthorized, e.Kind);
        Assert.Contains("identity token was refused; log in again", e.Message);
        Assert.DoesNotContain(identity[..20], e.Message);
    }

    [Fact]
    public async Task AnIdentityTokenFallsBackToBasicWhereTheTokenServiceTakesNoPost()
    {
        await using var backend = await TestRegistry.StartAsync();
        await using var proxy = await TokenAuthProxy.StartAsync(backend.Server.BaseAddress, requireUser: ("carol", "pw"), getOnly: true);
        using var source = new LocalImages();
        var name = ImageReference.Parse($"{proxy.HostPort}/fb/app:v1");
        source.MakeImage(name.FamiliarName);
        var seen = new List<string>();
        using var both = Client(seen, new RegistryCredentials("carol", "pw") { IdentityToken = "an-identity-token" });
        await new ImagePusher(both).PushAsync(source.Images, name);
        Assert.Contains("POST /token grant_type=refresh_token", seen);
        Assert.Contains("GET /token Basic", seen);

        using var tokenOnly = Client(seen, new RegistryCredentials("carol", "") { IdentityToken = "an-identity-token" });
        var e = await Assert.ThrowsAsync<BerthException>(() => tokenOnly.GetManifestAsync(proxy.HostPort, "fb/app", "v1"));
        Assert.Contains("does not take identity tokens", e.Message);
    }
}
