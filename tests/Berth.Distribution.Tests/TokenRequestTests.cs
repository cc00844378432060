namespace Berth.Distribution.Tests;

/// <summary>Parsing token endpoint requests: the GET query of the token spec and the OAuth2 POST form.</summary>
public class TokenRequestTests
{
    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(user + ":" + password));

    [Fact]
    public void GetQueriesCarryScopesAccountAndOfflineAccess()
    {
        var r = TokenRequest.FromQuery("?service=reg&scope=repository:a/b:pull,push&scope=repository:c:pull%20registry:catalog:*&account=alice&offline_token=true&client_id=docker",
            Basic("alice", "pw:x"));
        Assert.Equal(TokenGrant.Basic, r.Grant);
        Assert.Equal(("reg", "alice", true, "docker"), (r.Service, r.Account, r.Offline, r.ClientId));
        Assert.Equal(("alice", "pw:x"), (r.Username, r.Password));
        Assert.Equal(["repository:a/b:pull,push", "repository:c:pull", "registry:catalog:*"], r.Scopes.Select(s => s.ToString()));
        var anonymous = TokenRequest.FromQuery("", null);
        Assert.Null(anonymous.Username);
        Assert.Empty(anonymous.Scopes);
        Assert.False(anonymous.Offline);
    }

    [Fact]
    public void ScopesKeepColonsInNamesAndDropResourceClasses()
    {
        var s = TokenAccess.ParseScope("repository(plugin):localhost:5000/x:pull");
        Assert.Equal(("repository", "localhost:5000/x"), (s.Type, s.Name));
        Assert.Equal(["pull"], s.Actions);
    }

    [Theory]
    [InlineData("?scope=repository", "expected type:name:actions")]
    [InlineData("?scope=repository:x", "expected type:name:actions")]
    [InlineData("?scope=repository::pull", "resource name is empty")]
    [InlineData("?scope=repository:x:", "no actions")]
    [InlineData("?offline_token=yes", "offline_token must be true or false")]
    [InlineData("?service=a&service=b", "service is given 2 times")]
    public void BadQueriesAreNamed(string query, string message)
    {
        var e = Assert.Throws<RegistryError>(() => TokenRequest.FromQuery(query, null));
        Assert.Equal(400, e.Status);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ANonBasicAuthorizationIsRefused() =>
        Assert.Contains("not Basic", Assert.Throws<RegistryError>(() => TokenRequest.FromQuery("", "Bearer abc")).Message);

    [Fact]
    public void PostFormsArePasswordOrRefreshGrants()
    {
        var p = TokenRequest.FromForm("grant_type=password&username=alice&password=p%26w&client_id=berth&service=reg&scope=repository%3Aa%3Apull+repository%3Ab%3Apush&access_type=offline");
        Assert.Equal((TokenGrant.Password, "alice", "p&w", true), (p.Grant, p.Username, p.Password, p.Offline));
        Assert.Equal(2, p.Scopes.Count);
        var r = TokenRequest.FromForm("grant_type=refresh_token&refresh_token=abc.def.ghi&client_id=berth&service=reg");
        Assert.Equal((TokenGrant.RefreshToken, "abc.def.ghi"), (r.Grant, r.RefreshToken));
    }

    [Theory]
    [InlineData("client_id=x", "grant_type is required")]
    [InlineData("grant_type=password&username=a&password=b", "client_id is required")]
    [InlineData("grant_type=password&client_id=x&password=b", "needs username")]
    [InlineData("grant_type=password&client_id=x&username=a", "needs password")]
    [InlineData("grant_type=password&client_id=x&username=a&password=b&access_type=forever", "access_type must be")]
    [InlineData("grant_type=refresh_token&client_id=x", "needs refresh_token")]
    [InlineData("grant_type=client_credentials&client_id=x", "unsupported grant_type \"client_credentials\"")]
    public void BadFormsAreNamed(string body, string message)
    {
        var e = Assert.Throws<RegistryError>(() => TokenRequest.FromForm(body));
        Assert.Equal(400, e.Status);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void PolicyGrantsUsersEverythingAndAnonymousOnlyConfiguredPull()
    {
        var asked = TokenAccess.ParseScopes(["repository:a:pull,push,delete,frob registry:catalog:* repository:Bad_Name:pull other:x:pull"]);
        Assert.Equal(["repository:a:pull,push,delete", "registry:catalog:*"], new AccessPolicy(false).Grant("alice", asked).Select(g => g.ToString()));
        Assert.Empty(new AccessPolicy(false).Grant(null, asked));
        Assert.Equal(["repository:a:pull"], new AccessPolicy(true).Grant(null, asked).Select(g => g.ToString()));
    }
}
