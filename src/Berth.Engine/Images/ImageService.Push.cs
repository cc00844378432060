using System.Text.Json;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Distribution;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>
    /// POST /images/{name}/push?tag: pushes name:tag, or every local tag of the repository when neither names one (push -a).
    /// The local images are checked before any progress is sent, so a missing one is an HTTP 404.
    /// </summary>
    public async Task PushAsync(string name, string? tag, AuthConfig? auth, Action<JsonMessage> emit, CancellationToken ct)
    {
        var targets = PushTargets(name, tag);
        using var client = NewRegistryClient(auth);
        var progress = new TransferProgress(emit);
        foreach (var target in targets)
        {
            var digest = await new ImagePusher(client).PushAsync(_store, target, progress, ct).ConfigureAwait(false);
            emit(new JsonMessage { ProgressDetail = new ProgressDetail(), Aux = PushResult(target.Tag!, digest, _content.Size(digest)) });
            _events.Publish("image", "push", target.FamiliarName, new() { ["name"] = target.FamiliarName });
        }
    }

    private List<ImageReference> PushTargets(string name, string? tag)
    {
        if (!ImageReference.TryParse(name, defaultTag: false, out var reference, out string error) || reference == null)
            throw BerthException.Invalid($"invalid reference format: {name}: {error}");
        if (reference.Digest != null) throw BerthException.Invalid($"cannot push a digest reference: {name}");
        if (!string.IsNullOrEmpty(tag))
        {
            if (reference.Tag != null) throw BerthException.Invalid($"invalid reference format: {name} already has a tag and tag={tag} was given");
            if (!ImageReference.TryParse(reference.Repository + ":" + tag, defaultTag: false, out reference, out error) || reference == null)
                throw BerthException.Invalid($"invalid tag format: {tag}: {error}");
        }
        if (reference.Tag != null)
        {
            if (_store.TryResolve(reference.FamiliarName) is not { } image || !image.RepoTags.Contains(reference.FamiliarName))
                throw BerthException.NotFound($"An image does not exist locally with the tag: {reference.FamiliarName}");
            return [reference];
        }
        string repository = reference.FamiliarRepository;
        var all = _store.List().SelectMany(i => i.RepoTags)
            .Where(t => t.LastIndexOf(':') is int c && c > 0 && t[..c] == repository && t.IndexOf('/', c) < 0)
            .Order(StringComparer.Ordinal)
            .Select(t => ImageReference.Parse(t, defaultTag: false))
            .ToList();
        if (all.Count == 0) throw BerthException.NotFound($"An image does not exist locally with the tag: {repository}");
        return all;
    }

    /// <summary>The aux object Docker sends after each pushed tag: {"Tag", "Digest", "Size"}.</summary>
    private static JsonElement PushResult(string tag, Digest digest, long size)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("Tag", tag);
            w.WriteString("Digest", digest.ToString());
            w.WriteNumber("Size", size);
            w.WriteEndObject();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }
}
