using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Distribution;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// POST /images/create?fromImage&amp;tag&amp;platform: pulls one image, or every tag of a repository when neither the name nor
    /// <paramref name="tag"/> names one. Progress goes to <paramref name="emit"/>; the first message is sent only once the
    /// manifest was found, so "not found" and "unauthorized" can still be HTTP errors. A failed pull removes what it stored.
    /// </summary>
    public async Task PullAsync(string fromImage, string? tag, string? platform, AuthConfig? auth, Action<JsonMessage> emit, CancellationToken ct)
    {
        var reference = ParsePullReference(fromImage, tag);
        if (!string.IsNullOrEmpty(platform)) PlatformSpec.Parse(platform);
        using var client = NewRegistryClient(auth);
        var progress = new TransferProgress(emit);
        if (reference.Tag == null && reference.Digest == null)
        {
            var tags = await client.ListTagsAsync(reference.Registry, reference.Path, ct).ConfigureAwait(false);
            if (tags.Count == 0) throw BerthException.NotFound($"repository {reference.FamiliarRepository} has no tags");
            bool anyNewer = false;
            foreach (var t in tags.Order(StringComparer.Ordinal))
                anyNewer |= await PullOneAsync(client, reference.WithTag(t), platform, progress, ct).ConfigureAwait(false);
            progress.Status((anyNewer ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + reference.FamiliarRepository);
            return;
        }
        bool newer = await PullOneAsync(client, reference, platform, progress, ct).ConfigureAwait(false);
        progress.Status((newer ? "Status: Downloaded newer image for " : "Status: Image is up to date for ") + reference.FamiliarName);
    }

    /// <summary>fromImage plus the tag parameter (a tag or a digest), as Docker combines them; name-only means all tags.</summary>
    public static ImageReference ParsePullReference(string fromImage, string? tag)
    {
        string text = fromImage;
        if (!string.IsNullOrEmpty(tag))
        {
            if (ImageReference.TryParse(fromImage, defaultTag: false, out var named, out _) && named is { Tag: null, Digest: null })
                text = fromImage + (Digest.TryParse(tag, out _) ? "@" : ":") + tag;
        }
        if (!ImageReference.TryParse(text, defaultTag: false, out var reference, out string error) || reference == null)
            throw BerthException.Invalid($"invalid reference format: {text}: {error}");
        return reference;
    }

    /// <summary>Pulls one tag or digest; true when it changed what the name points to.</summary>
    private async Task<bool> PullOneAsync(RegistryClient client, ImageReference reference, string? platform, TransferProgress progress, CancellationToken ct)
    {
        string? before = _store.TryResolve(reference.ToString())?.Id;
        var options = new PullOptions { Platform = platform };
        Berth.Images.ImageRecord record;
        lock (_pullGate) _pullsInFlight++;
        bool failed = false;
        try
        {
            record = await new ImagePuller(client).PullAsync(_store, reference, options, progress, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failed = true;
            FinishPull(options);
            // Not a 401: on that, docker clients ask for credentials on stdin and retry, where Docker's daemon says this.
            if (e is BerthException { Kind: ErrorKind.Unauthorized })
                throw BerthException.NotFound($"pull access denied for {reference.FamiliarRepository}, repository does not exist or may require 'docker login': {e.Message}");
            throw;
        }
        finally
        {
            if (!failed) FinishPull(null);
        }
        _events.Publish("image", "pull", reference.FamiliarName, new() { ["name"] = reference.FamiliarName });
        return before != record.Id;
    }

    private readonly Lock _pullGate = new();
    private int _pullsInFlight;
    private readonly List<PullOptions> _abandoned = new();

    /// <summary>
    /// Ends a pull; a failed one hands over what it stored. Take-backs wait until no pull is in flight: another pull may be
    /// about to use a layer the failed one wrote (it saw "Already exists"), and once all have ended, an image that uses it
    /// exists and keeps it.
    /// </summary>
    private void FinishPull(PullOptions? failed)
    {
        List<PullOptions>? cleanup = null;
        lock (_pullGate)
        {
            if (failed != null) _abandoned.Add(failed);
            if (--_pullsInFlight == 0 && _abandoned.Count > 0)
            {
                cleanup = _abandoned.ToList();
                _abandoned.Clear();
            }
        }
        foreach (var o in cleanup ?? [])
            _store.RemoveUnreferenced(o.Written, o.Unpacked);
    }
}
