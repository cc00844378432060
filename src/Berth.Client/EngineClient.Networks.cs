using System.Text.Json;
using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

public sealed partial class EngineClient
{
    private static string N(string id) => "/networks/" + QueryString.Segment(id);

    /// <summary>GET /networks?filters.</summary>
    public Task<List<NetworkResource>> ListNetworksAsync(IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("GET", "/networks" + new QueryString().Add("filters", Filters(filters)), EngineApiJson.Default.ListNetworkResource, ct: ct);

    /// <summary>GET /networks/{id}?verbose.</summary>
    public Task<NetworkResource> InspectNetworkAsync(string id, bool verbose = false, CancellationToken ct = default) =>
        GetJsonAsync("GET", N(id) + new QueryString().Flag("verbose", verbose), EngineApiJson.Default.NetworkResource, ct: ct);

    /// <summary>GET /networks/{id}?verbose as the daemon's JSON.</summary>
    public Task<JsonDocument> InspectNetworkRawAsync(string id, bool verbose = false, CancellationToken ct = default) =>
        GetJsonDocumentAsync(N(id) + new QueryString().Flag("verbose", verbose), ct);

    /// <summary>POST /networks/create.</summary>
    public Task<NetworkCreateResponse> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/networks/create", EngineApiJson.Default.NetworkCreateResponse, Json(request, EngineApiJson.Default.NetworkCreateRequest), ct);

    /// <summary>DELETE /networks/{id}.</summary>
    public Task RemoveNetworkAsync(string id, CancellationToken ct = default) => SendNoContentAsync("DELETE", N(id), ct: ct);

    /// <summary>POST /networks/{id}/connect.</summary>
    public Task ConnectNetworkAsync(string id, NetworkConnectRequest request, CancellationToken ct = default) =>
        SendNoContentAsync("POST", N(id) + "/connect", Json(request, EngineApiJson.Default.NetworkConnectRequest), ct);

    /// <summary>POST /networks/{id}/disconnect.</summary>
    public Task DisconnectNetworkAsync(string id, NetworkDisconnectRequest request, CancellationToken ct = default) =>
        SendNoContentAsync("POST", N(id) + "/disconnect", Json(request, EngineApiJson.Default.NetworkDisconnectRequest), ct);

    /// <summary>POST /networks/prune?filters.</summary>
    public Task<NetworkPruneResponse> PruneNetworksAsync(IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/networks/prune" + new QueryString().Add("filters", Filters(filters)), EngineApiJson.Default.NetworkPruneResponse, ct: ct);
}
