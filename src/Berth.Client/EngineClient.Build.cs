using Berth.Client.Http;

namespace Berth.Client;

public sealed partial class EngineClient
{
    /// <summary>POST /build with a tar context (and <paramref name="secretsHeader"/>, Berth's X-Berth-Build-Secrets, when there are secrets; <paramref name="registryConfig"/>, the X-Registry-Config of stored logins): a stream of <see cref="Core.EngineApi.JsonMessage"/> lines ending in the image ID or an error.</summary>
    public Task<EngineResponse> BuildAsync(Stream context, IEnumerable<string> tags, string? dockerfile, string? buildArgsJson, string? labelsJson,
        string? target, bool noCache, bool pull, bool quiet, string? networkMode, bool explainCache, bool stepTimings,
        string? secretsHeader = null, string? registryConfig = null, CancellationToken ct = default)
    {
        var q = new QueryString();
        foreach (var t in tags) q.Add("t", t);
        q.Add("dockerfile", dockerfile).Add("buildargs", buildArgsJson).Add("labels", labelsJson).Add("target", target)
            .Flag("nocache", noCache).Flag("pull", pull).Flag("q", quiet).Add("networkmode", networkMode).Flag("berthexplaincache", explainCache).Flag("berthtimings", stepTimings);
        var headers = new Dictionary<string, string>();
        if (secretsHeader != null) headers["X-Berth-Build-Secrets"] = secretsHeader;
        if (registryConfig != null) headers["X-Registry-Config"] = registryConfig;
        return SendCheckedAsync("POST", "/build" + q, null, context, "application/x-tar", headers, ct);
    }
}
