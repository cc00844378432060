using System.Text.Json;
using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

public sealed partial class EngineClient
{
    private static string V(string name) => "/volumes/" + QueryString.Segment(name);

    /// <summary>GET /volumes?filters.</summary>
    public Task<VolumeListResponse> ListVolumesAsync(IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("GET", "/volumes" + new QueryString().Add("filters", Filters(filters)), EngineApiJson.Default.VolumeListResponse, ct: ct);

    /// <summary>POST /volumes/create.</summary>
    public Task<Volume> CreateVolumeAsync(VolumeCreateOptions options, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/volumes/create", EngineApiJson.Default.Volume, Json(options, EngineApiJson.Default.VolumeCreateOptions), ct);

    /// <summary>GET /volumes/{name}.</summary>
    public Task<Volume> InspectVolumeAsync(string name, CancellationToken ct = default) => GetJsonAsync("GET", V(name), EngineApiJson.Default.Volume, ct: ct);

    /// <summary>GET /volumes/{name} as the daemon's JSON.</summary>
    public Task<JsonDocument> InspectVolumeRawAsync(string name, CancellationToken ct = default) => GetJsonDocumentAsync(V(name), ct);

    /// <summary>DELETE /volumes/{name}?force.</summary>
    public Task RemoveVolumeAsync(string name, bool force = false, CancellationToken ct = default) =>
        SendNoContentAsync("DELETE", V(name) + new QueryString().Flag("force", force), ct: ct);

    /// <summary>POST /build/prune: the builder's cache mounts no build is using.</summary>
    public Task<BuildCachePruneResponse> PruneBuildCacheAsync(CancellationToken ct = default) =>
        GetJsonAsync("POST", "/build/prune", EngineApiJson.Default.BuildCachePruneResponse, ct: ct);

    /// <summary>POST /volumes/prune?filters (all=true also removes named volumes).</summary>
    public Task<VolumePruneResponse> PruneVolumesAsync(IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/volumes/prune" + new QueryString().Add("filters", Filters(filters)), EngineApiJson.Default.VolumePruneResponse, ct: ct);
}
