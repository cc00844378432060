using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Images;

namespace Berth.Engine.Images;

public sealed partial class ImageService
{
    /// <summary>Fails with Docker's "No such image" before any byte of a save stream is written.</summary>
    public void CheckExist(IEnumerable<string> names)
    {
        foreach (var n in names) _store.Resolve(n);
    }

    public void Save(IReadOnlyList<string> names, Stream output) => new ImageArchive(_store).Save(names, output);

    public IReadOnlyList<string> Load(Stream input)
    {
        var messages = new ImageArchive(_store).Load(input);
        foreach (var m in messages) _events.Publish("image", "load", m, new() { ["name"] = m });
        return messages;
    }

    /// <summary>docker import: a rootfs tarball becomes a one-layer image, tagged repo[:tag] when given.</summary>
    public string Import(Stream tarball, string? repo, string? tag, IReadOnlyList<string> changes, string? message)
    {
        string? name = null;
        if (!string.IsNullOrEmpty(repo))
        {
            var r = ImageReference.Parse(string.IsNullOrEmpty(tag) ? repo : repo + ":" + tag);
            name = r.FamiliarName;
        }
        var img = new ImageImporter(_store).Import(tarball, changes, message, name);
        _events.Publish("image", "import", img.Id, new() { ["name"] = name ?? img.Id });
        return img.Id;
    }

    /// <summary>Creates busybox:latest (or <paramref name="tag"/>) from the host's static busybox.</summary>
    public IdResponse Bootstrap(string busyboxPath, string tag)
    {
        var img = BusyboxImage.Bootstrap(_store, busyboxPath, tag);
        _events.Publish("image", "tag", img.Id, new() { ["name"] = tag });
        return new IdResponse { Id = img.Id };
    }
}
