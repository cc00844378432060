using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

public sealed partial class EngineClient
{
    /// <summary>POST /containers/{id}/exec.</summary>
    public Task<IdResponse> CreateExecAsync(string containerId, ExecCreateRequest request, CancellationToken ct = default) =>
        GetJsonAsync("POST", C(containerId) + "/exec", EngineApiJson.Default.IdResponse, Json(request, EngineApiJson.Default.ExecCreateRequest), ct);

    /// <summary>POST /exec/{id}/start with Detach=true: returns once the process started.</summary>
    public Task StartExecDetachedAsync(string execId, ExecStartRequest request, CancellationToken ct = default)
    {
        request.Detach = true;
        return SendNoContentAsync("POST", "/exec/" + QueryString.Segment(execId) + "/start", Json(request, EngineApiJson.Default.ExecStartRequest), ct);
    }

    /// <summary>POST /exec/{id}/start upgraded to a raw stream carrying the process's stdio.</summary>
    public Task<HijackedStream> StartExecAttachedAsync(string execId, ExecStartRequest request, CancellationToken ct = default) =>
        HijackAsync("POST", "/exec/" + QueryString.Segment(execId) + "/start", Json(request, EngineApiJson.Default.ExecStartRequest), ct);

    /// <summary>GET /exec/{id}/json.</summary>
    public Task<ExecInspectResponse> InspectExecAsync(string execId, CancellationToken ct = default) =>
        GetJsonAsync("GET", "/exec/" + QueryString.Segment(execId) + "/json", EngineApiJson.Default.ExecInspectResponse, ct: ct);

    /// <summary>POST /exec/{id}/resize?h&amp;w.</summary>
    public Task ResizeExecAsync(string execId, int height, int width, CancellationToken ct = default) =>
        SendNoContentAsync("POST", "/exec/" + QueryString.Segment(execId) + "/resize" + new QueryString().Add("h", height).Add("w", width), ct: ct);
}
