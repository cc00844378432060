using Berth.Build.Parser.Instructions;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Engine.Containers;
using Berth.Engine.Images;
using Berth.Images;
using Berth.Storage;

namespace Berth.Engine.Build;

/// <summary>The image builder behind POST /build: unpacks the context, parses the Dockerfile, runs the needed stages, tags the result.</summary>
public sealed partial class BuildService
{
    public BuildService(BerthPaths paths, ImageStore images, ImageService registry, ContainerService containers, MetadataDb db)
    {
        Registry = registry;
        Paths = paths;
        Images = images;
        Containers = containers;
        Cache = new BuildCache(db, images);
    }

    internal BerthPaths Paths { get; }
    internal ImageStore Images { get; }
    /// <summary>Pulls the base images that are not here.</summary>
    internal ImageService Registry { get; }
    internal ContainerService Containers { get; }
    internal BuildCache Cache { get; }

    /// <summary>
    /// Builds the context in <paramref name="contextTar"/> and returns the image ID. Progress goes to <paramref name="output"/>: text
    /// as {"stream"} messages, base image pulls as a pull's progress messages.
    /// Tags are given only once everything succeeded, so a failed build leaves nothing tagged.
    /// </summary>
    public async Task<string> BuildAsync(BuildRequest request, Stream contextTar, Action<JsonMessage> output, CancellationToken ct)
    {
        foreach (var tag in request.Tags)
            if (!ImageReference.TryParse(tag, defaultTag: true, out var r, out var error) || r!.Digest != null)
                throw BerthException.Invalid($"invalid tag \"{tag}\": {error ?? "a tag cannot have a digest"}");
        using var context = BuildContextDir.Extract(contextTar, Paths.TmpDir);
        string dockerfilePath = context.ResolveInside(request.Dockerfile);
        if (!File.Exists(dockerfilePath))
            throw BerthException.NotFound($"Cannot locate specified Dockerfile: {request.Dockerfile}");
        context.LoadIgnore(request.Dockerfile);
        var definition = InstructionParser.ParseDockerfile(await File.ReadAllTextAsync(dockerfilePath, ct), Path.GetFileName(request.Dockerfile));
        var session = new BuildSession(this, request, context, definition, output);
        var image = await session.RunAsync(ct);
        foreach (var tag in request.Tags) Images.Tag(image.Id, tag);
        output(new JsonMessage { Stream = $"Successfully built {BuildSession.Short(image.Id)}\n" });
        foreach (var tag in request.Tags) output(new JsonMessage { Stream = $"Successfully tagged {ImageStore.FamiliarName(tag) ?? tag}\n" });
        return image.Id;
    }
}
