using System.Net;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution;

public sealed partial class RegistryClient
{
    /// <summary>All tags of a repository, following the registry's <c>Link</c> pagination.</summary>
    public async Task<IReadOnlyList<string>> ListTagsAsync(string registry, string repository, CancellationToken ct = default)
    {
        var tags = new List<string>();
        string? next = $"/v2/{repository}/tags/list?n=1000";
        // A registry that keeps answering with a Link to more pages must not keep us here forever.
        for (int page = 0; next != null; page++)
        {
            if (page == 1000) throw BerthException.Invalid($"registry {registry}: tag list of {repository} has more than 1000 pages");
            string path = next;
            using var res = await SendAsync(registry, repository, "pull", b => new HttpRequestMessage(HttpMethod.Get, new Uri(b, path)), ct).ConfigureAwait(false);
            if (!res.IsSuccessStatusCode)
            {
                var error = await ErrorAsync(registry, res, ct).ConfigureAwait(false);
                if (res.StatusCode == HttpStatusCode.NotFound) throw BerthException.NotFound($"repository {registry}/{repository} not found ({error.Message})");
                throw error;
            }
            if (res.Content.Headers.ContentLength > 16 << 20) throw BerthException.Invalid($"registry {registry}: tag list of {repository} is larger than 16 MiB");
            using var doc = JsonDocument.Parse(await res.Content.ReadAsStreamAsync(ct).ConfigureAwait(false));
            if (doc.RootElement.TryGetProperty("tags", out var list) && list.ValueKind == JsonValueKind.Array)
                tags.AddRange(list.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
            next = NextPage(res);
        }
        return tags;
    }

    // Link: </v2/name/tags/list?n=1000&last=x>; rel="next"
    private static string? NextPage(HttpResponseMessage res)
    {
        if (!res.Headers.TryGetValues("Link", out var links)) return null;
        foreach (var link in links)
        {
            int open = link.IndexOf('<'), close = link.IndexOf('>');
            if (open < 0 || close < open || !link.Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase)) continue;
            var target = link[(open + 1)..close];
            // Only paths on the same registry: an absolute URL could send our credentials elsewhere.
            return target.StartsWith('/') ? target : null;
        }
        return null;
    }

    /// <summary>
    /// Checks the configured credentials against the registry (<c>GET /v2/</c>, answering its challenge once), as <c>docker login</c>
    /// does; throws <see cref="ErrorKind.Unauthorized"/> when they are refused.
    /// </summary>
    public async Task CheckLoginAsync(string registry, CancellationToken ct = default)
    {
        using var res = await SendAsync(registry, "", "", b => new HttpRequestMessage(HttpMethod.Get, new Uri(b, "/v2/")), ct).ConfigureAwait(false);
        if (!res.IsSuccessStatusCode) throw await ErrorAsync(registry, res, ct).ConfigureAwait(false);
    }
}
