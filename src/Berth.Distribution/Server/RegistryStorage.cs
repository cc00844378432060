using Berth.Core;
using Berth.Storage;

namespace Berth.Distribution;

/// <summary>
/// The registry's disk layout under one root: <c>content/</c> holds every blob once (a <see cref="ContentStore"/>);
/// <c>repositories/&lt;name&gt;/</c> holds per-repository links (<c>_layers/&lt;hex&gt;</c>, <c>_manifests/revisions/&lt;hex&gt;</c>
/// whose content is the media type, <c>_manifests/tags/&lt;tag&gt;</c> whose content is the digest, <c>_referrers/&lt;subject&gt;/&lt;hex&gt;</c>);
/// <c>uploads/&lt;id&gt;/</c> holds upload sessions. A blob is "in" a repository only when linked there.
/// </summary>
internal sealed partial class RegistryStorage
{
    public RegistryStorage(string root)
    {
        Root = Path.GetFullPath(root);
        Blobs = new ContentStore(Path.Combine(Root, "content"));
        RepositoriesDir = Path.Combine(Root, "repositories");
        UploadsDir = Path.Combine(Root, "uploads");
        TmpDir = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(TmpDir);
        Directory.CreateDirectory(RepositoriesDir);
        Directory.CreateDirectory(UploadsDir);
    }

    public string Root { get; }
    public ContentStore Blobs { get; }
    public string RepositoriesDir { get; }
    public string UploadsDir { get; }
    public string TmpDir { get; }

    /// <summary>Only called with names that passed <see cref="RegistryNames.IsValidName"/>, so the path stays under the root.</summary>
    public string RepoDir(string name) => Path.Combine(RepositoriesDir, name);

    public bool RepoExists(string name) =>
        Directory.Exists(Path.Combine(RepoDir(name), "_manifests")) || Directory.Exists(Path.Combine(RepoDir(name), "_layers"));

    private string LayerLink(string name, Digest d) => Path.Combine(RepoDir(name), "_layers", d.Hex);
    private string RevisionLink(string name, Digest d) => Path.Combine(RepoDir(name), "_manifests", "revisions", d.Hex);
    private string TagsDir(string name) => Path.Combine(RepoDir(name), "_manifests", "tags");

    public bool HasBlob(string name, Digest d) => File.Exists(LayerLink(name, d)) && Blobs.Has(d);

    /// <summary>Links a stored blob into a repository and refreshes its time so a running GC does not sweep it.</summary>
    public void LinkBlob(string name, Digest d)
    {
        WriteAtomic(LayerLink(name, d), "");
        Touch(d);
    }

    public bool UnlinkBlob(string name, Digest d) => DeleteFile(LayerLink(name, d));

    public void Touch(Digest d)
    {
        try { File.SetLastWriteTimeUtc(Blobs.BlobPath(d), DateTime.UtcNow); }
        catch (IOException) { }
    }

    /// <summary>The media type the manifest was pushed with, or null when the repository has no such manifest.</summary>
    public string? ManifestMediaType(string name, Digest d)
    {
        try
        {
            return Blobs.Has(d) ? File.ReadAllText(RevisionLink(name, d)) : null;
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public void PutManifest(string name, Digest d, string mediaType, string? tag, Digest? subject)
    {
        WriteAtomic(RevisionLink(name, d), mediaType);
        Touch(d);
        if (subject is { } s) WriteAtomic(Path.Combine(RepoDir(name), "_referrers", s.Hex, d.Hex), "");
        if (tag != null) WriteAtomic(Path.Combine(TagsDir(name), tag), d.ToString());
    }

    /// <summary>Removes the manifest revision, every tag pointing at it and its referrer entries.</summary>
    public bool DeleteManifest(string name, Digest d)
    {
        if (!DeleteFile(RevisionLink(name, d))) return false;
        foreach (var tag in Tags(name))
            if (ResolveTag(name, tag) == d) DeleteFile(Path.Combine(TagsDir(name), tag));
        string referrers = Path.Combine(RepoDir(name), "_referrers");
        if (Directory.Exists(referrers))
            foreach (var dir in Directory.EnumerateDirectories(referrers))
                DeleteFile(Path.Combine(dir, d.Hex));
        return true;
    }

    public Digest? ResolveTag(string name, string tag)
    {
        try
        {
            return Digest.TryParse(File.ReadAllText(Path.Combine(TagsDir(name), tag)).Trim(), out var d) ? d : null;
        }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
    }

    public bool DeleteTag(string name, string tag) => DeleteFile(Path.Combine(TagsDir(name), tag));

    /// <summary>Tags in lexical (ordinal) order, as the spec's pagination needs.</summary>
    public List<string> Tags(string name)
    {
        string dir = TagsDir(name);
        if (!Directory.Exists(dir)) return new();
        var tags = Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(t => RegistryNames.IsValidTag(t!)).Select(t => t!).ToList();
        tags.Sort(StringComparer.Ordinal);
        return tags;
    }

    public IEnumerable<Digest> Manifests(string name)
    {
        string dir = Path.Combine(RepoDir(name), "_manifests", "revisions");
        if (!Directory.Exists(dir)) yield break;
        foreach (var f in Directory.EnumerateFiles(dir))
            if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d)) yield return d;
    }

    public IEnumerable<Digest> LinkedBlobs(string name)
    {
        string dir = Path.Combine(RepoDir(name), "_layers");
        if (!Directory.Exists(dir)) yield break;
        foreach (var f in Directory.EnumerateFiles(dir))
            if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d)) yield return d;
    }

    public IEnumerable<Digest> Referrers(string name, Digest subject)
    {
        string dir = Path.Combine(RepoDir(name), "_referrers", subject.Hex);
        if (!Directory.Exists(dir)) yield break;
        foreach (var f in Directory.EnumerateFiles(dir))
            if (Digest.TryParse("sha256:" + Path.GetFileName(f), out var d) && ManifestMediaType(name, d) != null) yield return d;
    }

    /// <summary>All repository names, in ordinal order: directories holding <c>_manifests</c> or <c>_layers</c>.</summary>
    public List<string> Repositories()
    {
        var names = new List<string>();
        Walk(RepositoriesDir, "");
        names.Sort(StringComparer.Ordinal);
        return names;

        void Walk(string dir, string prefix)
        {
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                string leaf = Path.GetFileName(sub);
                if (leaf.StartsWith('_')) continue;
                string name = prefix.Length == 0 ? leaf : prefix + "/" + leaf;
                if (RepoExists(name)) names.Add(name);
                Walk(sub, name);
            }
        }
    }

    /// <summary>Writes through a temp file outside the repository tree, so listings never see a half-written link.</summary>
    internal void WriteAtomic(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string tmp = Path.Combine(TmpDir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(tmp, content);
        File.Move(tmp, path, overwrite: true);
    }

    private static bool DeleteFile(string path)
    {
        if (!File.Exists(path)) return false;
        try { File.Delete(path); return true; }
        catch (DirectoryNotFoundException) { return false; }
    }
}
