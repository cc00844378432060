using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution;

/// <summary>Answering a registry's 401 challenge: Basic credentials, or a token from the Bearer challenge's realm.</summary>
public sealed partial class RegistryClient
{
    /// <summary>
    /// The refresh token (Docker's identity token) the token service handed out while this client asked for offline access
    /// (<see cref="RegistryClientOptions.OfflineToken"/>, as login does); null when it gave none.
    /// </summary>
    public string? IdentityToken { get; private set; }

    private readonly ConcurrentDictionary<string, Task<string>> _authorizing = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, BerthException> _refused = new(StringComparer.Ordinal);

    /// <summary>
    /// One token request per scope at a time: the concurrent blob requests of a push that all meet a 401 share the answer,
    /// so refused credentials cost one request to the token service, not one per layer.
    /// </summary>
    private async Task<string> AuthorizeSharedAsync(string key, Func<Task<string>> authorize)
    {
        var mine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var shared = _authorizing.GetOrAdd(key, mine.Task);
        if (shared != mine.Task) return await shared.ConfigureAwait(false);
        try
        {
            mine.SetResult(await authorize().ConfigureAwait(false));
        }
        catch (Exception e)
        {
            mine.SetException(e);
        }
        finally
        {
            _authorizing.TryRemove(key, out _);
        }
        return await mine.Task.ConfigureAwait(false);
    }

    private async Task<string> AuthorizeAsync(HttpClient client, string registry, string repository, string actions, AuthChallenge? challenge, CancellationToken ct)
    {
        // Credentials a token service refused stay refused for this client's life: asking again for each scope would only repeat it.
        if (_refused.TryGetValue(registry, out var refusedBefore)) throw new BerthException(refusedBefore.Kind, refusedBefore.Message, refusedBefore);
        var creds = _options.Credentials?.Invoke(registry);
        if (challenge == null || challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (creds == null) throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: unauthorized: authentication required (no credentials; log in first)");
            if (creds.Password.Length == 0)
                throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: unauthorized: the registry asks for a password and only an identity token is stored; log in again");
            return "Basic " + BasicValue(creds);
        }
        if (!challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: unsupported authentication scheme \"{challenge.Scheme}\"");
        string realm = challenge["realm"] ?? throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: Bearer challenge without a realm");
        if (!Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("http" or "https"))
            throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: Bearer challenge realm \"{realm}\" is not an http(s) URL");
        if (realmUri.Scheme != "https" && !IsInsecure(realmUri.Authority))
            throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: token realm {realm} is not https");
        string? service = challenge["service"];
        string? scope = repository.Length > 0 ? $"repository:{repository}:{actions}" : challenge["scope"];

        TokenAnswer? answer = null;
        if (creds?.IdentityToken is { Length: > 0 } refresh)
        {
            answer = await PostRefreshAsync(client, registry, realmUri, service, scope, creds, refresh, ct).ConfigureAwait(false);
            if (answer == null && creds.Password.Length == 0)
                throw new BerthException(ErrorKind.Unauthorized,
                    $"registry {registry}: token service {realmUri.GetLeftPart(UriPartial.Path)} does not take identity tokens (OAuth2 POST) and no password is stored; log in again");
        }
        answer ??= await GetTokenAsync(client, registry, realmUri, service, scope, creds, ct).ConfigureAwait(false);
        if (answer.Refresh != null && _options.OfflineToken) IdentityToken = answer.Refresh;
        return "Bearer " + answer.Token;
    }

    private sealed record TokenAnswer(string Token, string? Refresh);

    /// <summary>The token spec's GET, with Basic credentials when there are any.</summary>
    private async Task<TokenAnswer> GetTokenAsync(HttpClient client, string registry, Uri realm, string? service, string? scope, RegistryCredentials? creds, CancellationToken ct)
    {
        var query = new List<string>();
        if (service != null) query.Add("service=" + Uri.EscapeDataString(service));
        if (scope != null) query.Add("scope=" + Uri.EscapeDataString(scope));
        bool basic = creds is { Password.Length: > 0 };
        if (basic)
        {
            query.Add("account=" + Uri.EscapeDataString(creds!.Username));
            if (_options.OfflineToken) query.Add("offline_token=true&client_id=" + Uri.EscapeDataString(_options.ClientId));
        }
        string text = realm.ToString();
        var tokenUri = query.Count == 0 ? realm : new Uri(text + (text.Contains('?') ? "&" : "?") + string.Join("&", query));
        using var req = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (basic) req.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicValue(creds!));
        using var res = await SendOnceAsync(client, registry, req, ct).ConfigureAwait(false);
        if (!res.IsSuccessStatusCode)
        {
            var e = await TokenErrorAsync(registry, realm, res, basic ? creds : null, ct).ConfigureAwait(false);
            if (basic && res.StatusCode == HttpStatusCode.Unauthorized) _refused[registry] = e;
            throw e;
        }
        return await ReadTokenAsync(registry, res, ct).ConfigureAwait(false);
    }

    /// <summary>OAuth2 <c>grant_type=refresh_token</c>; null when the token service answers 404 or 405 (it knows only GET).</summary>
    private async Task<TokenAnswer?> PostRefreshAsync(HttpClient client, string registry, Uri realm, string? service, string? scope, RegistryCredentials creds,
        string refresh, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", refresh),
            new("client_id", _options.ClientId),
        };
        if (service != null) form.Add(new("service", service));
        if (scope != null) form.Add(new("scope", scope));
        using var req = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        using var res = await SendOnceAsync(client, registry, req, ct).ConfigureAwait(false);
        if (res.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) return null;
        if (!res.IsSuccessStatusCode)
        {
            var e = await TokenErrorAsync(registry, realm, res, null, ct).ConfigureAwait(false);
            if (res.StatusCode != HttpStatusCode.Unauthorized) throw e;
            var refused = new BerthException(e.Kind, e.Message + " (the stored identity token was refused; log in again)");
            _refused[registry] = refused;
            throw refused;
        }
        return await ReadTokenAsync(registry, res, ct).ConfigureAwait(false);
    }

    private static async Task<TokenAnswer> ReadTokenAsync(string registry, HttpResponseMessage res, CancellationToken ct)
    {
        try
        {
            using var doc = JsonDocument.Parse(await res.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
            string? token = null;
            foreach (var name in new[] { "token", "access_token" })
                if (doc.RootElement.TryGetProperty(name, out var t) && t.ValueKind == JsonValueKind.String && t.GetString() is { Length: > 0 } s)
                {
                    token = s;
                    break;
                }
            string? refresh = doc.RootElement.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } rs ? rs : null;
            return new TokenAnswer(token ?? throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: token service returned no token"), refresh);
        }
        catch (JsonException e)
        {
            throw new BerthException(ErrorKind.Unauthorized, $"registry {registry}: token service answered with no JSON: {e.Message}");
        }
    }

    /// <summary>A refused token request: the status, the service's own message, and whose credentials were refused.</summary>
    private static async Task<BerthException> TokenErrorAsync(string registry, Uri realm, HttpResponseMessage res, RegistryCredentials? creds, CancellationToken ct)
    {
        string detail = await ErrorDetailAsync(res, ct).ConfigureAwait(false);
        string who = res.StatusCode == HttpStatusCode.Unauthorized && creds != null
            ? $": the registry refused the credentials of user \"{creds.Username}\"" + (detail.Contains("incorrect username or password", StringComparison.OrdinalIgnoreCase) ? "" : " (incorrect username or password)")
            : "";
        var kind = res.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ErrorKind.Unauthorized,
            HttpStatusCode.BadRequest => ErrorKind.InvalidArgument,
            _ => ErrorKind.Internal,
        };
        return new BerthException(kind, $"registry {registry}: token service {realm.GetLeftPart(UriPartial.Path)} answered {(int)res.StatusCode} {res.ReasonPhrase}{detail}{who}");
    }

    private static string BasicValue(RegistryCredentials creds) => Convert.ToBase64String(Encoding.UTF8.GetBytes(creds.Username + ":" + creds.Password));
}
