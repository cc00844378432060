namespace Berth.Engine.Build;

/// <summary>One build as POST /build describes it.</summary>
public sealed class BuildRequest
{
    /// <summary>The Dockerfile's path inside the context.</summary>
    public string Dockerfile { get; init; } = "Dockerfile";
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();
    public IReadOnlyDictionary<string, string?> BuildArgs { get; init; } = new Dictionary<string, string?>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public string? Target { get; init; }
    public bool NoCache { get; init; }
    /// <summary>"default" (the bridge), "none" or "host": the network RUN steps get unless they ask for one.</summary>
    public string NetworkMode { get; init; } = "default";
    /// <summary>Say why each step missed the cache (Berth's CLI asks for it with --progress plain).</summary>
    public bool ExplainCache { get; init; }
    /// <summary>The pids limit of RUN containers, so a fork bomb stays bounded.</summary>
    public long PidsLimit { get; init; } = 2048;
}
