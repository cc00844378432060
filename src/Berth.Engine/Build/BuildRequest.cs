using Berth.Core.EngineApi;

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
    /// <summary>Pull every image the build starts FROM (or copies --from) even when it is here.</summary>
    public bool Pull { get; init; }
    /// <summary>Credentials by registry address (the X-Registry-Config header), for the images a build pulls.</summary>
    public IReadOnlyDictionary<string, AuthConfig> RegistryAuths { get; init; } = new Dictionary<string, AuthConfig>();
    /// <summary>"default" (the bridge), "none" or "host": the network RUN steps get unless they ask for one.</summary>
    public string NetworkMode { get; init; } = "default";
    /// <summary>Say why each step missed the cache (Berth's CLI asks for it with --progress plain).</summary>
    public bool ExplainCache { get; init; }
    /// <summary>Print each step's wall time (Berth's CLI asks for it; the docker CLI's classic output has none).</summary>
    public bool StepTimings { get; init; }
    /// <summary>Secrets by ID for RUN --mount=type=secret (Berth's X-Berth-Build-Secrets header); never stored or cached.</summary>
    public IReadOnlyDictionary<string, byte[]> Secrets { get; init; } = new Dictionary<string, byte[]>();
    /// <summary>The pids limit of RUN containers, so a fork bomb stays bounded.</summary>
    public long PidsLimit { get; init; } = 2048;
}
