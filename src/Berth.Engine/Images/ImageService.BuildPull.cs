using Berth.Core;
using Berth.Core.EngineApi;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// Pulls an image a build starts FROM or copies --from, as Docker's builder does when it is not here (or on --pull).
    /// <paramref name="auths"/> is the build's X-Registry-Config (credentials by registry address); the progress goes
    /// into the build's stream in the same messages as a pull's.
    /// </summary>
    public async Task<Berth.Images.ImageRecord> PullForBuildAsync(string name, IReadOnlyDictionary<string, AuthConfig> auths, Action<JsonMessage> emit, CancellationToken ct)
    {
        if (!ImageReference.TryParse(name, defaultTag: true, out var reference, out string error) || reference == null)
            throw BerthException.Invalid($"invalid reference format: {name}: {error}");
        AuthConfig? auth = null;
        foreach (var (address, config) in auths)
            if (RegistryAddress.Normalize(address) == reference.Registry) auth = config;
        using var client = NewRegistryClient(auth);
        var progress = new TransferProgress(emit);
        bool newer = await PullOneAsync(client, reference, null, progress, ct).ConfigureAwait(false);
        progress.Status((newer ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + reference.FamiliarName);
        return _store.Resolve(reference.ToString());
    }
}
