using System.Text.Json;
using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

public sealed partial class EngineClient
{
    private static string I(string name) => "/images/" + QueryString.Segment(name);

    /// <summary>GET /images/json?all&amp;digests&amp;filters.</summary>
    public Task<List<ImageSummary>> ListImagesAsync(bool all = false, bool digests = false, IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("GET", "/images/json" + new QueryString().Flag("all", all).Flag("digests", digests).Add("filters", Filters(filters)), EngineApiJson.Default.ListImageSummary, ct: ct);

    /// <summary>GET /images/{name}/json.</summary>
    public Task<ImageInspect> InspectImageAsync(string name, CancellationToken ct = default) =>
        GetJsonAsync("GET", I(name) + "/json", EngineApiJson.Default.ImageInspect, ct: ct);

    /// <summary>GET /images/{name}/json as the daemon's JSON.</summary>
    public Task<JsonDocument> InspectImageRawAsync(string name, CancellationToken ct = default) => GetJsonDocumentAsync(I(name) + "/json", ct);

    /// <summary>GET /images/{name}/history.</summary>
    public Task<List<HistoryResponseItem>> ImageHistoryAsync(string name, CancellationToken ct = default) =>
        GetJsonAsync("GET", I(name) + "/history", EngineApiJson.Default.ListHistoryResponseItem, ct: ct);

    /// <summary>POST /images/{name}/tag?repo&amp;tag.</summary>
    public Task TagImageAsync(string source, string repository, string? tag, CancellationToken ct = default) =>
        SendNoContentAsync("POST", I(source) + "/tag" + new QueryString().Add("repo", repository).Add("tag", tag), ct: ct);

    /// <summary>DELETE /images/{name}?force&amp;noprune.</summary>
    public Task<List<ImageDeleteResponseItem>> RemoveImageAsync(string name, bool force = false, bool noPrune = false, CancellationToken ct = default) =>
        GetJsonAsync("DELETE", I(name) + new QueryString().Flag("force", force).Flag("noprune", noPrune), EngineApiJson.Default.ListImageDeleteResponseItem, ct: ct);

    /// <summary>GET /images/get?names=…: a docker-archive tar of the images.</summary>
    public Task<EngineResponse> SaveImagesAsync(IEnumerable<string> names, CancellationToken ct = default)
    {
        var q = new QueryString();
        foreach (var n in names) q.Add("names", n);
        return SendCheckedAsync("GET", "/images/get" + q, ct: ct);
    }

    /// <summary>POST /images/load?quiet with a tar body: a stream of <see cref="JsonMessage"/> lines.</summary>
    public Task<EngineResponse> LoadImagesAsync(Stream tar, bool quiet = false, CancellationToken ct = default) =>
        SendCheckedAsync("POST", "/images/load" + new QueryString().Flag("quiet", quiet), null, tar, "application/x-tar", null, ct);

    /// <summary>POST /images/create?fromSrc=-&amp;repo&amp;tag&amp;message&amp;changes with a tar body (docker import): <see cref="JsonMessage"/> lines.</summary>
    public Task<EngineResponse> ImportImageAsync(Stream tar, string? repository, string? tag, string? message, IEnumerable<string>? changes, CancellationToken ct = default)
    {
        var q = new QueryString().Add("fromSrc", "-").Add("repo", repository).Add("tag", tag).Add("message", message);
        if (changes != null) foreach (var c in changes) q.Add("changes", c);
        return SendCheckedAsync("POST", "/images/create" + q, null, tar, "application/x-tar", null, ct);
    }

    /// <summary>POST /images/create?fromImage&amp;tag&amp;platform (docker pull): <see cref="JsonMessage"/> lines.</summary>
    public Task<EngineResponse> PullImageAsync(string image, string? tag, string? platform = null, string? registryAuth = null, CancellationToken ct = default)
    {
        var q = new QueryString().Add("fromImage", image).Add("tag", tag).Add("platform", platform);
        var headers = registryAuth == null ? null : new Dictionary<string, string> { ["X-Registry-Auth"] = registryAuth };
        return SendCheckedAsync("POST", "/images/create" + q, null, null, null, headers, ct);
    }

    /// <summary>POST /images/{name}/push?tag (docker push; no tag pushes every local tag): <see cref="JsonMessage"/> lines.</summary>
    public Task<EngineResponse> PushImageAsync(string name, string? tag, string? registryAuth = null, CancellationToken ct = default)
    {
        var headers = registryAuth == null ? null : new Dictionary<string, string> { ["X-Registry-Auth"] = registryAuth };
        return SendCheckedAsync("POST", I(name) + "/push" + new QueryString().Add("tag", tag), null, null, null, headers, ct);
    }

    /// <summary>POST /auth: the daemon checks the credentials against the registry.</summary>
    public Task<AuthResponse> AuthAsync(AuthConfig auth, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/auth", EngineApiJson.Default.AuthResponse, JsonSerializer.SerializeToUtf8Bytes(auth, EngineApiJson.Default.AuthConfig), ct);

    /// <summary>The X-Registry-Auth value for an auth configuration: base64url of its JSON, as the docker CLI sends it.</summary>
    public static string EncodeRegistryAuth(AuthConfig auth) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(auth, EngineApiJson.Default.AuthConfig)).Replace('+', '-').Replace('/', '_');

    /// <summary>The X-Registry-Config value of a build: base64url of a JSON object of auth configurations by registry address.</summary>
    public static string EncodeRegistryConfig(IReadOnlyDictionary<string, AuthConfig> auths)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (address, auth) in auths)
            {
                w.WritePropertyName(address);
                JsonSerializer.Serialize(w, auth, EngineApiJson.Default.AuthConfig);
            }
            w.WriteEndObject();
        }
        return Convert.ToBase64String(buffer.WrittenSpan).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>POST /images/prune?filters (dangling=false prunes every unused image).</summary>
    public Task<ImagePruneResponse> PruneImagesAsync(IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/images/prune" + new QueryString().Add("filters", Filters(filters)), EngineApiJson.Default.ImagePruneResponse, ct: ct);

    /// <summary>POST /commit?container&amp;repo&amp;tag&amp;comment&amp;author&amp;pause&amp;changes: a new image from a container's changes.</summary>
    public Task<IdResponse> CommitAsync(string container, string? repository, string? tag, string? comment, string? author, bool pause, IEnumerable<string>? changes, CancellationToken ct = default)
    {
        var q = new QueryString().Add("container", container).Add("repo", repository).Add("tag", tag).Add("comment", comment).Add("author", author)
            .Add("pause", pause ? "1" : "0");
        if (changes != null) foreach (var c in changes) q.Add("changes", c);
        return GetJsonAsync("POST", "/commit" + q, EngineApiJson.Default.IdResponse, ct: ct);
    }

    /// <summary>Berth's own POST /berth/images/bootstrap?busybox&amp;tag: an image made from the host's busybox binary.</summary>
    public Task<IdResponse> BootstrapBusyboxAsync(string busyboxPath, string tag, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/berth/images/bootstrap" + new QueryString().Add("busybox", busyboxPath).Add("tag", tag), EngineApiJson.Default.IdResponse, ct: ct);
}
