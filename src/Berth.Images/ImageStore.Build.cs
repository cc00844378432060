using System.Text.Json;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>What the image builder needs beyond commit: each step's image remembers the step it grew from.</summary>
public sealed partial class ImageStore
{
    /// <summary>A deep copy of an image config, for a build step to change.</summary>
    public static ImageConfigFile CloneConfig(ImageConfigFile config) =>
        JsonSerializer.Deserialize(JsonSerializer.SerializeToUtf8Bytes(config, ImagesJson.Default.ImageConfigFile), ImagesJson.Default.ImageConfigFile)!;

    /// <summary>A new image with <paramref name="parent"/>'s layers and <paramref name="config"/> (a step that changed only the config).</summary>
    public ImageRecord CreateWithParentLayers(ImageRecord? parent, ImageConfigFile config)
    {
        config.RootFs = new RootFs { DiffIds = parent?.Config.RootFs.DiffIds.ToList() ?? new List<string>() };
        var layers = parent == null ? new List<(Core.Digest, string)>() : LayerBlobs(parent).ToList();
        return WithParent(Create(config, layers, null), parent);
    }

    /// <summary>Records that <paramref name="image"/> was built on <paramref name="parent"/>: `images` hides untagged parents, as Docker does.</summary>
    public ImageRecord WithParent(ImageRecord image, ImageRecord? parent)
    {
        if (parent == null || image.Parent == parent.Id || image.Id == parent.Id) return image;
        lock (_gate)
        {
            var current = Get(image.Id) ?? image;
            current.Parent = parent.Id;
            Db.InTransaction(db => Put(db, current));
            return current;
        }
    }
}
