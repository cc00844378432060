using System.Text;
using System.Text.Json;
using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

public sealed partial class EngineClient
{
    private static string C(string id) => "/containers/" + QueryString.Segment(id);

    /// <summary>GET /containers/json?all&amp;limit&amp;size&amp;filters.</summary>
    public Task<List<ContainerSummary>> ListContainersAsync(bool all = false, int? limit = null, bool size = false,
        IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default)
    {
        var q = new QueryString().Flag("all", all).Add("limit", limit is > 0 ? limit : null).Flag("size", size).Add("filters", Filters(filters));
        return GetJsonAsync("GET", "/containers/json" + q, EngineApiJson.Default.ListContainerSummary, ct: ct);
    }

    /// <summary>POST /containers/create?name&amp;platform.</summary>
    public Task<ContainerCreateResponse> CreateContainerAsync(ContainerCreateRequest request, string? name = null, string? platform = null, CancellationToken ct = default)
    {
        var q = new QueryString().Add("name", string.IsNullOrEmpty(name) ? null : name).Add("platform", string.IsNullOrEmpty(platform) ? null : platform);
        return GetJsonAsync("POST", "/containers/create" + q, EngineApiJson.Default.ContainerCreateResponse, Json(request, EngineApiJson.Default.ContainerCreateRequest), ct);
    }

    /// <summary>GET /containers/{id}/json?size.</summary>
    public Task<ContainerInspectResponse> InspectContainerAsync(string id, bool size = false, CancellationToken ct = default) =>
        GetJsonAsync("GET", C(id) + "/json" + new QueryString().Flag("size", size), EngineApiJson.Default.ContainerInspectResponse, ct: ct);

    /// <summary>GET /containers/{id}/json?size as the daemon's JSON.</summary>
    public Task<JsonDocument> InspectContainerRawAsync(string id, bool size = false, CancellationToken ct = default) =>
        GetJsonDocumentAsync(C(id) + "/json" + new QueryString().Flag("size", size), ct);

    /// <summary>POST /containers/{id}/start (304 "already started" is success).</summary>
    public async Task StartContainerAsync(string id, string? detachKeys = null, CancellationToken ct = default)
    {
        using var r = await SendCheckedOrNotModifiedAsync("POST", C(id) + "/start" + new QueryString().Add("detachKeys", detachKeys), ct).ConfigureAwait(false);
    }

    /// <summary>POST /containers/{id}/stop?t&amp;signal (304 "already stopped" is success).</summary>
    public async Task StopContainerAsync(string id, int? timeout = null, string? signal = null, CancellationToken ct = default)
    {
        using var r = await SendCheckedOrNotModifiedAsync("POST", C(id) + "/stop" + new QueryString().Add("t", timeout).Add("signal", signal), ct).ConfigureAwait(false);
    }

    /// <summary>POST /containers/{id}/restart?t&amp;signal.</summary>
    public Task RestartContainerAsync(string id, int? timeout = null, string? signal = null, CancellationToken ct = default) =>
        SendNoContentAsync("POST", C(id) + "/restart" + new QueryString().Add("t", timeout).Add("signal", signal), ct: ct);

    /// <summary>POST /containers/{id}/kill?signal.</summary>
    public Task KillContainerAsync(string id, string? signal = null, CancellationToken ct = default) =>
        SendNoContentAsync("POST", C(id) + "/kill" + new QueryString().Add("signal", signal), ct: ct);

    /// <summary>POST /containers/{id}/pause.</summary>
    public Task PauseContainerAsync(string id, CancellationToken ct = default) => SendNoContentAsync("POST", C(id) + "/pause", ct: ct);

    /// <summary>POST /containers/{id}/unpause.</summary>
    public Task UnpauseContainerAsync(string id, CancellationToken ct = default) => SendNoContentAsync("POST", C(id) + "/unpause", ct: ct);

    /// <summary>POST /containers/{id}/wait?condition (not-running, next-exit, removed); the answer comes when the condition is met.</summary>
    public Task<ContainerWaitResponse> WaitContainerAsync(string id, string? condition = null, CancellationToken ct = default) =>
        GetJsonAsync("POST", C(id) + "/wait" + new QueryString().Add("condition", condition), EngineApiJson.Default.ContainerWaitResponse, ct: ct);

    /// <summary>
    /// POST /containers/{id}/wait, returning once the daemon answered with its headers: the wait is registered by then, so
    /// a start sent afterwards cannot exit unseen. The returned task completes with the result. A refused wait (unknown
    /// container) is a faulted task, so callers meet it where they await the result.
    /// </summary>
    public async Task<Task<ContainerWaitResponse>> BeginWaitContainerAsync(string id, string? condition = null, CancellationToken ct = default)
    {
        EngineResponse response;
        try
        {
            response = await SendCheckedAsync("POST", C(id) + "/wait" + new QueryString().Add("condition", condition), ct: ct).ConfigureAwait(false);
        }
        catch (EngineApiException e)
        {
            return Task.FromException<ContainerWaitResponse>(e);
        }
        return ReadAsync(response, ct);

        static async Task<ContainerWaitResponse> ReadAsync(EngineResponse response, CancellationToken ct)
        {
            using (response)
                return await JsonSerializer.DeserializeAsync(response.Body, EngineApiJson.Default.ContainerWaitResponse, ct).ConfigureAwait(false)
                    ?? throw new EngineApiException(response.StatusCode, "empty response from POST /containers/{id}/wait");
        }
    }

    /// <summary>DELETE /containers/{id}?force&amp;v&amp;link.</summary>
    public Task RemoveContainerAsync(string id, bool force = false, bool volumes = false, bool link = false, CancellationToken ct = default) =>
        SendNoContentAsync("DELETE", C(id) + new QueryString().Flag("force", force).Flag("v", volumes).Flag("link", link), ct: ct);

    /// <summary>POST /containers/{id}/attach?stream=1&amp;stdin&amp;stdout&amp;stderr&amp;logs&amp;detachKeys, upgraded to a raw stream.</summary>
    public Task<HijackedStream> AttachContainerAsync(string id, bool stdin, bool stdout, bool stderr, bool logs = false, string? detachKeys = null, CancellationToken ct = default)
    {
        var q = new QueryString().Flag("stream", true).Flag("stdin", stdin).Flag("stdout", stdout).Flag("stderr", stderr).Flag("logs", logs).Add("detachKeys", detachKeys);
        return HijackAsync("POST", C(id) + "/attach" + q, null, ct);
    }

    /// <summary>GET /containers/{id}/logs?follow&amp;stdout&amp;stderr&amp;since&amp;until&amp;timestamps&amp;tail: multiplexed unless the container has a TTY.</summary>
    public Task<EngineResponse> LogsAsync(string id, bool follow = false, bool stdout = true, bool stderr = true, string? since = null, string? until = null,
        bool timestamps = false, string? tail = null, CancellationToken ct = default)
    {
        var q = new QueryString().Flag("follow", follow).Flag("stdout", stdout).Flag("stderr", stderr).Add("since", since).Add("until", until)
            .Flag("timestamps", timestamps).Add("tail", tail);
        return SendCheckedAsync("GET", C(id) + "/logs" + q, ct: ct);
    }

    /// <summary>POST /containers/{id}/resize?h&amp;w.</summary>
    public Task ResizeContainerAsync(string id, int height, int width, CancellationToken ct = default) =>
        SendNoContentAsync("POST", C(id) + "/resize" + new QueryString().Add("h", height).Add("w", width), ct: ct);

    /// <summary>GET /containers/{id}/top?ps_args.</summary>
    public Task<ContainerTopResponse> TopAsync(string id, string? psArgs = null, CancellationToken ct = default) =>
        GetJsonAsync("GET", C(id) + "/top" + new QueryString().Add("ps_args", psArgs), EngineApiJson.Default.ContainerTopResponse, ct: ct);

    /// <summary>GET /containers/{id}/stats?stream&amp;one-shot: newline-delimited <see cref="ContainerStatsResponse"/> objects.</summary>
    public Task<EngineResponse> StatsAsync(string id, bool stream, bool oneShot = false, CancellationToken ct = default) =>
        SendCheckedAsync("GET", C(id) + "/stats" + new QueryString().Bool("stream", stream).Flag("one-shot", oneShot), ct: ct);

    /// <summary>POST /containers/{id}/rename?name.</summary>
    public Task RenameContainerAsync(string id, string newName, CancellationToken ct = default) =>
        SendNoContentAsync("POST", C(id) + "/rename" + new QueryString().Add("name", newName), ct: ct);

    /// <summary>GET /containers/{id}/changes.</summary>
    public Task<List<ContainerChange>> ChangesAsync(string id, CancellationToken ct = default) =>
        GetJsonAsync("GET", C(id) + "/changes", EngineApiJson.Default.ListContainerChange, ct: ct);

    /// <summary>POST /containers/prune?filters.</summary>
    public Task<ContainerPruneResponse> PruneContainersAsync(IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        GetJsonAsync("POST", "/containers/prune" + new QueryString().Add("filters", Filters(filters)), EngineApiJson.Default.ContainerPruneResponse, ct: ct);

    /// <summary>HEAD /containers/{id}/archive?path: the X-Docker-Container-Path-Stat of a path.</summary>
    public async Task<ContainerPathStat> StatPathAsync(string id, string path, CancellationToken ct = default)
    {
        using var r = await SendCheckedAsync("HEAD", C(id) + "/archive" + new QueryString().Add("path", path), ct: ct).ConfigureAwait(false);
        return DecodePathStat(r.Header("X-Docker-Container-Path-Stat"), id, path);
    }

    /// <summary>GET /containers/{id}/archive?path: a tar of the path; the stat is in the X-Docker-Container-Path-Stat header.</summary>
    public Task<EngineResponse> GetArchiveAsync(string id, string path, CancellationToken ct = default) =>
        SendCheckedAsync("GET", C(id) + "/archive" + new QueryString().Add("path", path), ct: ct);

    /// <summary>PUT /containers/{id}/archive?path&amp;noOverwriteDirNonDir&amp;copyUIDGID with a tar body, extracted into the directory path.</summary>
    public async Task PutArchiveAsync(string id, string path, Stream tar, bool noOverwriteDirNonDir = true, bool copyUidGid = false, CancellationToken ct = default)
    {
        var q = new QueryString().Add("path", path).Add("noOverwriteDirNonDir", noOverwriteDirNonDir ? "true" : null).Add("copyUIDGID", copyUidGid ? "true" : null);
        using var r = await SendCheckedAsync("PUT", C(id) + "/archive" + q, null, tar, "application/x-tar", null, ct).ConfigureAwait(false);
        await r.Body.CopyToAsync(Stream.Null, ct).ConfigureAwait(false);
    }

    /// <summary>GET /containers/{id}/export: a tar of the container's filesystem.</summary>
    public Task<EngineResponse> ExportContainerAsync(string id, CancellationToken ct = default) => SendCheckedAsync("GET", C(id) + "/export", ct: ct);

    /// <summary>Decodes the base64 JSON of an X-Docker-Container-Path-Stat header.</summary>
    public static ContainerPathStat DecodePathStat(string? header, string id, string path)
    {
        if (string.IsNullOrEmpty(header)) throw new EngineApiException(500, $"no path stat for {path} in container {id}");
        try
        {
            byte[] json = Convert.FromBase64String(header);
            return JsonSerializer.Deserialize(json, EngineApiJson.Default.ContainerPathStat) ?? new ContainerPathStat();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new EngineApiException(500, $"unreadable path stat for {path} in container {id}: {e.Message}");
        }
    }

    private async Task<EngineResponse> SendCheckedOrNotModifiedAsync(string method, string path, CancellationToken ct)
    {
        var r = await SendAsync(method, path, ct: ct).ConfigureAwait(false);
        if (r.StatusCode is (>= 200 and < 300) or 304) return r;
        using (r) throw await ToExceptionAsync(r, ct).ConfigureAwait(false);
    }

    internal static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
