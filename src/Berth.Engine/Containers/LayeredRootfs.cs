namespace Berth.Engine.Containers;

/// <summary>Reads files from a container's layers without mounting them: upper dir first, then lowers, honouring overlay whiteouts.</summary>
public sealed class LayeredRootfs
{
    private readonly IReadOnlyList<string> _dirsTopFirst;

    public LayeredRootfs(IReadOnlyList<string> dirsTopFirst) => _dirsTopFirst = dirsTopFirst;

    /// <summary>Returns the host path holding <paramref name="path"/> in the merged view, or null.</summary>
    public string? Locate(string path)
    {
        string rel = path.TrimStart('/');
        foreach (string dir in _dirsTopFirst)
        {
            string candidate = Path.Combine(dir, rel);
            var info = new FileInfo(candidate);
            if (info.Exists || Directory.Exists(candidate))
            {
                // An overlay whiteout is a 0/0 character device: the file was deleted in this layer.
                if (info.Exists && (info.Attributes & FileAttributes.Device) != 0) return null;
                if (info.LinkTarget != null) return null; // never follow links out of the layer
                return candidate;
            }
        }
        return null;
    }

    public string? ReadAllText(string path)
    {
        string? hostPath = Locate(path);
        if (hostPath == null || !File.Exists(hostPath)) return null;
        var len = new FileInfo(hostPath).Length;
        return len > 4 * 1024 * 1024 ? null : File.ReadAllText(hostPath);
    }
}
