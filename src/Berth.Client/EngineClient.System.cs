using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Berth.Client.Http;
using Berth.Core.EngineApi;

namespace Berth.Client;

public sealed partial class EngineClient
{
    /// <summary>GET /_ping: "OK" when the daemon is up.</summary>
    public async Task<string> PingAsync(CancellationToken ct = default)
    {
        using var r = await SendCheckedAsync("GET", "/_ping", ct: ct).ConfigureAwait(false);
        using var reader = new StreamReader(r.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).ConfigureAwait(false);
    }

    /// <summary>GET /version.</summary>
    public Task<SystemVersion> VersionAsync(CancellationToken ct = default) => GetJsonAsync("GET", "/version", EngineApiJson.Default.SystemVersion, ct: ct);

    /// <summary>GET /info.</summary>
    public Task<SystemInfo> InfoAsync(CancellationToken ct = default) => GetJsonAsync("GET", "/info", EngineApiJson.Default.SystemInfo, ct: ct);

    /// <summary>GET /events?since&amp;until&amp;filters: newline-delimited <see cref="EventMessage"/> objects, endless unless until is given.</summary>
    public Task<EngineResponse> EventsAsync(string? since = null, string? until = null, IReadOnlyDictionary<string, List<string>>? filters = null, CancellationToken ct = default) =>
        SendCheckedAsync("GET", "/events" + new QueryString().Add("since", since).Add("until", until).Add("filters", Filters(filters)), ct: ct);

    /// <summary>Reads newline-delimited JSON objects (events, stats, progress messages) from a body until it ends.</summary>
    public static async IAsyncEnumerable<T> ReadJsonLinesAsync<T>(Stream body, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            var value = JsonSerializer.Deserialize(line, typeInfo);
            if (value != null) yield return value;
        }
    }

    /// <summary>GET /system/df?type=… (all types when none are given).</summary>
    public Task<SystemDataUsageResponse> DataUsageAsync(IEnumerable<string>? types = null, CancellationToken ct = default)
    {
        var q = new QueryString();
        foreach (var t in types ?? []) q.Add("type", t);
        return GetJsonAsync("GET", "/system/df" + q, EngineApiJson.Default.SystemDataUsageResponse, ct: ct);
    }
}
