using System.Text;
using Berth.Build.Context;
using Berth.Build.Parser.Instructions;
using Berth.Build.Planning;
using Berth.Core;
using Berth.Images;

namespace Berth.Engine.Build;

internal sealed partial class BuildSession
{
    private async Task CopyAsync(StageState s, IReadOnlyList<string> rawSources, IReadOnlyList<SourceContent> contents, string rawDest, string? rawFrom,
        string? rawChown, string? rawChmod, IReadOnlyList<string> rawExclude, string keyword, string? rawChecksum, string stepName, CancellationToken ct)
    {
        var env = Env(s);
        string X(string w) => _lex.ProcessWord(w, env);
        var heredocNames = contents.Select(c => c.Path).ToHashSet(StringComparer.Ordinal);
        var sources = rawSources.Where(p => !heredocNames.Contains(p)).Select(X).ToList();
        string dest = X(rawDest);
        string? chown = rawChown == null ? null : X(rawChown);
        string? chmod = rawChmod == null ? null : X(rawChmod);
        string? from = rawFrom == null ? null : X(rawFrom);
        string? checksum = rawChecksum == null ? null : X(rawChecksum);
        var exclude = new DockerIgnore(rawExclude.Select(X));
        var mode = FileCopier.ParseChmod(chmod);
        var urls = keyword == "ADD" ? sources.Where(AddSources.IsUrl).ToList() : new List<string>();
        if (checksum != null && urls.Count == 0) throw BerthException.Invalid("ADD --checksum is only supported for URL sources");
        var local = sources.Where(p => !urls.Contains(p)).ToList();

        ImageRoot? fromRoot = null;
        var downloads = new List<AddSources.Download>();
        try
        {
            Func<string, string> resolve;
            DockerIgnore ignore;
            if (from != null)
            {
                int stage = StagePlan.Find(_def, from, s.Index);
                var image = stage >= 0 ? Done(stage).Image : await BaseImageAsync(s, from, ct);
                fromRoot = ImageRoot.Mount(_svc.Images.Snapshots, image, _svc.Paths.TmpDir);
                string root = fromRoot.Path;
                resolve = rel => Containers.ScopedPath.Resolve(root, rel, followFinal: true);
                ignore = DockerIgnore.Empty;
            }
            else
            {
                resolve = rel => _context.ResolveInside(rel);
                ignore = _context.Ignore;
            }
            var finder = new CopySources(resolve, ignore, exclude);
            var matches = local.SelectMany(p => finder.Match(p, keyword)).ToList();
            var entries = finder.Walk(matches);
            var (digest, files) = CopySources.Digest(entries);
            var extra = new StringBuilder(digest);
            foreach (var url in urls)
            {
                var d = await AddSources.DownloadAsync(url, checksum, _svc.Paths.TmpDir, ct);
                downloads.Add(d);
                files["url:" + url] = d.Digest;
                extra.Append('\n').Append(url).Append('\0').Append(d.Digest);
            }
            var heredocs = contents.Select(c => (c.Path, Data: c.Expand ? X(c.Data) : c.Data)).ToList();
            foreach (var (path, data) in heredocs)
            {
                string d = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(data)));
                files["heredoc:" + path] = d;
                extra.Append('\n').Append(path).Append('\0').Append(d);
            }
            string flags = (from != null ? $"--from={from} " : "") + (chown != null ? $"--chown={chown} " : "") + (chmod != null ? $"--chmod={chmod} " : "");
            string createdBy = $"{keyword} {flags}{string.Join(' ', sources.Concat(heredocs.Select(h => "<<" + h.Path)))} {dest}";
            string contentDigest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(extra.ToString())));
            var key = new CacheKey(ParentId(s), createdBy, Array.Empty<KeyValuePair<string, string>>(), contentDigest);
            int count = matches.Count + urls.Count + heredocs.Count;
            await Cached(s, stepName, key, files, () => Task.FromResult(Commit(s, createdBy, root =>
            {
                var owner = chown == null ? (0, 0) : UserLookup.Resolve(chown, root);
                string absDest = CopyDestination.Absolute(dest, s.Run.WorkingDir);
                bool destIsDir = Directory.Exists(Containers.ScopedPath.Resolve(root, absDest, followFinal: true));
                CopyDestination.CheckMany(keyword, dest, count, destIsDir);
                string dirDest = absDest.TrimEnd('/');
                for (int i = 0; i < matches.Count; i++)
                {
                    var m = matches[i];
                    if (m.IsDir)
                    {
                        FileCopier.MakeDirectory(root, dirDest.Length == 0 ? "/" : dirDest, owner);
                        foreach (var e in entries.Where(e => e.Source == i)) FileCopier.Copy(root, e, dirDest + "/" + e.DestRel, owner, mode);
                    }
                    else if (keyword == "ADD" && AddSources.IsArchive(m.HostPath))
                    {
                        AddSources.Extract(m.HostPath, root, FileCopier.MakeDirectory(root, dirDest.Length == 0 ? "/" : dirDest, null));
                    }
                    else
                    {
                        string target = CopyDestination.ForFile(absDest, Path.GetFileName(m.Name), destIsDir || count > 1);
                        foreach (var e in entries.Where(e => e.Source == i)) FileCopier.Copy(root, e, target, owner, mode);
                    }
                }
                foreach (var d in downloads)
                {
                    using var fs = File.OpenRead(d.Path);
                    FileCopier.WriteFile(root, CopyDestination.ForFile(absDest, d.FileName, destIsDir || count > 1), fs, mode ?? (UnixFileMode)0b110_000_000, owner, d.LastModified);
                }
                foreach (var (path, data) in heredocs)
                {
                    using var ms = new MemoryStream(Encoding.UTF8.GetBytes(data));
                    FileCopier.WriteFile(root, CopyDestination.ForFile(absDest, path, destIsDir || count > 1), ms, mode ?? (UnixFileMode)0b110_100_100, owner, null);
                }
            })));
        }
        finally
        {
            fromRoot?.Dispose();
            foreach (var d in downloads) File.Delete(d.Path);
        }
    }

    /// <summary>WORKDIR: a config change, plus a layer making the directory when the image lacks it.</summary>
    private async Task WorkdirAsync(StageState s, WorkdirInstruction w, string stepName)
    {
        string dir = CopyDestination.Absolute(Expand(s, w.Path), s.Run.WorkingDir).TrimEnd('/');
        if (dir.Length == 0) dir = "/";
        string createdBy = "WORKDIR " + dir;
        bool exists = s.Image != null && new Containers.LayeredRootfs(_svc.Images.LowerDirs(s.Image)).Locate(dir) is { } host && Directory.Exists(host);
        var key = new CacheKey(ParentId(s), createdBy, Array.Empty<KeyValuePair<string, string>>(), null);
        await Cached(s, stepName, key, null, () => Task.FromResult(exists
            ? _svc.Images.CreateWithParentLayers(s.Image, NextConfig(s.Config, createdBy, true, c => c.WorkingDir = dir))
            : Commit(s, createdBy, root => FileCopier.MakeDirectory(root, dir, null), c => c.WorkingDir = dir)));
    }

    /// <summary>Mounts the stage's image, lets <paramref name="write"/> change it, and commits the changes as a layer.</summary>
    private ImageRecord Commit(StageState s, string createdBy, Action<string> write, Action<Core.Oci.ContainerRunConfig>? change = null)
    {
        using var root = ImageRoot.Mount(_svc.Images.Snapshots, s.Image, _svc.Paths.TmpDir);
        write(root.Path);
        root.Unmount();
        var image = _svc.Images.CommitUpperDir(s.Image, root.Layer.UpperDir, NextConfig(s.Config, createdBy, emptyLayer: false, change), null);
        return _svc.Images.WithParent(image, s.Image);
    }
}
