using System.Text;
using Berth.Build.Context;
using Berth.Build.Parser.Instructions;
using Berth.Build.Planning;
using Berth.Core;
using Berth.Core.EngineApi;
using Berth.Images;
using Berth.Storage;

namespace Berth.Engine.Build;

internal sealed partial class BuildSession
{
    /// <summary>One RUN --mount after expansion: its absolute target and, for a bind, the image it reads from (null: the context).</summary>
    private sealed record RunMountPlan(RunMount Mount, string Target, ImageRecord? FromImage);

    /// <summary>
    /// Expands and checks the RUN's --mount values, and the text they add to the step's cache key: each mount's options and,
    /// for binds, what they read (the other stage's image ID, or the digest of the context files) — never a cache's content.
    /// </summary>
    private async Task<(List<RunMountPlan> Plans, string Key)> PlanMountsAsync(StageState s, RunInstruction run, CancellationToken ct)
    {
        var env = Env(s);
        var plans = new List<RunMountPlan>();
        var key = new StringBuilder();
        foreach (string spec in run.MountSpecs)
        {
            var m = RunMount.Parse(spec, w => _lex.ProcessWord(w, env));
            if (m.Type == "ssh")
                throw new BerthException(ErrorKind.NotImplemented, "RUN --mount=type=ssh is not supported by Berth's builder yet (bind, cache, tmpfs and secret are)");
            if (m.Type == "secret")
            {
                // BuildKit's defaults: the ID is the target's file name, the target /run/secrets/<ID>; the content is no part of the key.
                string id = !string.IsNullOrEmpty(m.CacheId) ? m.CacheId : !string.IsNullOrEmpty(m.Source) ? m.Source : Path.GetFileName(m.Target!.TrimEnd('/'));
                m = m with { CacheId = id, Source = null, Target = string.IsNullOrEmpty(m.Target) ? "/run/secrets/" + id : m.Target };
                if (!_req.Secrets.ContainsKey(id))
                {
                    if (m.Required) throw BerthException.Invalid($"RUN --mount=type=secret: secret \"{id}\" is required but was not given (berth build --secret id={id},src=FILE)");
                    key.Append("\n#mount=").Append(m.ToString()).Append("@absent");
                    continue;
                }
            }
            if (string.IsNullOrEmpty(m.Target))
                throw BerthException.Invalid($"RUN --mount={spec}: a {m.Type} mount needs a target (the path it is mounted on in the container)");
            string target = CopyDestination.Absolute(m.Target, s.Run.WorkingDir).TrimEnd('/');
            if (target is "" or "/") throw BerthException.Invalid($"RUN --mount={spec}: cannot mount over the container's root directory");
            key.Append("\n#mount=").Append((m with { Target = target }).ToString());
            ImageRecord? from = null;
            if (m.Type == "bind" && m.From != null)
            {
                int stage = StagePlan.Find(_def, m.From, s.Index);
                from = stage >= 0 ? Done(stage).Image : await BaseImageAsync(s, m.From, ct);
                key.Append('@').Append(from?.Id ?? "scratch");
                // A stage FROM scratch with no files yet: mount an empty filesystem.
            }
            else if (m.Type == "bind")
            {
                var finder = new CopySources(rel => _context.ResolveInside(rel), _context.Ignore, DockerIgnore.Empty);
                var entries = finder.Walk(finder.Match(m.Source ?? ".", "RUN --mount=type=bind"));
                key.Append('@').Append(CopySources.Digest(entries).Digest);
            }
            plans.Add(new RunMountPlan(m, target, from));
        }
        return (plans, key.ToString());
    }

    /// <summary>Makes what the mounts need on the host (caches, mounted stages, scratch copies) and the container's Mounts for them.</summary>
    private async Task<RunMountResources> RealizeMountsAsync(IReadOnlyList<RunMountPlan> plans, CancellationToken ct)
    {
        var res = new RunMountResources();
        try
        {
            foreach (var p in plans)
            {
                var m = p.Mount;
                switch (m.Type)
                {
                    case "cache":
                        var lease = await CacheMounts.AcquireAsync(_svc.Paths.Root, _svc.Paths.TmpDir, m, p.Target, ct);
                        res.Own(lease);
                        res.Add(new Mount { Type = "bind", Source = lease.Path, Target = p.Target, ReadOnly = m.ReadOnly });
                        break;
                    case "tmpfs":
                        res.Add(new Mount { Type = "tmpfs", Target = p.Target, TmpfsOptions = m.SizeLimit > 0 ? new TmpfsOptions { SizeBytes = m.SizeLimit } : null });
                        break;
                    case "bind":
                        res.Add(new Mount { Type = "bind", Source = BindSource(p, res), Target = p.Target, ReadOnly = m.ReadOnly });
                        break;
                    case "secret":
                        res.Add(new Mount { Type = "bind", Source = SecretFile(m, res), Target = p.Target, ReadOnly = true });
                        break;
                }
            }
            return res;
        }
        catch
        {
            res.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The host path a bind mount shows, resolved inside its root (links never leave it). Another stage or image is mounted
    /// on a fresh writable layer, so rw writes land there and go with it; a context path that is to be writable is copied.
    /// </summary>
    private string BindSource(RunMountPlan p, RunMountResources res)
    {
        var m = p.Mount;
        string rel = string.IsNullOrEmpty(m.Source) ? "." : m.Source.TrimStart('/');
        if (rel.Length == 0) rel = ".";
        string source;
        if (m.From != null)
        {
            var root = ImageRoot.Mount(_svc.Images.Snapshots, p.FromImage, _svc.Paths.TmpDir);
            res.Own(root);
            source = Containers.ScopedPath.Resolve(root.Path, rel, followFinal: true);
            if (!Path.Exists(source)) throw BerthException.NotFound($"RUN --mount=type=bind,from={m.From}: source \"{m.Source}\" does not exist in {m.From}");
            return source;
        }
        source = _context.ResolveInside(rel);
        if (!Path.Exists(source)) throw BerthException.NotFound($"RUN --mount=type=bind: source \"{m.Source}\" does not exist in the build context");
        if (m.ReadOnly) return source;
        string scratch = Path.Combine(_svc.Paths.TmpDir, "bind-" + Guid.NewGuid().ToString("N"));
        res.Own(new ScratchDir(scratch));
        Directory.CreateDirectory(scratch);
        if (Directory.Exists(source))
        {
            TreeCopy.CopyContents(source, scratch);
            return scratch;
        }
        string file = Path.Combine(scratch, Path.GetFileName(source));
        File.Copy(source, file);
        return file;
    }

    /// <summary>
    /// Writes a secret for one RUN into a private directory under the run dir (a tmpfs on most hosts, so it never reaches the
    /// data root's disk), with the mount's mode (default 0400) and owner; it is deleted after the RUN.
    /// </summary>
    private string SecretFile(RunMount m, RunMountResources res)
    {
        string dir = Path.Combine(_svc.Paths.RunDir, "build-secrets", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(dir)!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        res.Own(new ScratchDir(dir));
        string file = Path.Combine(dir, "secret");
        using (var f = new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            f.Write(_req.Secrets[m.CacheId!]);
        File.SetUnixFileMode(file, (UnixFileMode)(m.Mode ?? Convert.ToUInt32("400", 8)));
        FileCopier.Chown(file, ((int)(m.Uid ?? 0), (int)(m.Gid ?? 0)));
        return file;
    }

    /// <summary>
    /// Takes out of a RUN's upper dir what only the mounts put there: the mount points the runtime had to create (and their
    /// parents it created), when they are still empty and no lower layer has them — so a RUN with mounts commits the same
    /// layer as it would without them. A mount point the image already had is left as it is.
    /// </summary>
    private static void RemoveMountStubs(RwLayer rw, IEnumerable<string> targets)
    {
        foreach (string target in targets.OrderByDescending(t => t.Length))
        {
            bool leaf = true;
            for (string? rel = target.Trim('/'); !string.IsNullOrEmpty(rel); rel = Path.GetDirectoryName(rel), leaf = false)
            {
                if (rw.LowerDirs.Any(l => Present(Path.Combine(l, rel)))) break;
                string upper = Path.Combine(rw.UpperDir, rel);
                var dir = new DirectoryInfo(upper);
                var file = new FileInfo(upper);
                if (dir.Exists && dir.LinkTarget == null && !dir.EnumerateFileSystemInfos().Any()) dir.Delete();
                else if (leaf && file.Exists && file.LinkTarget == null && file.Length == 0) file.Delete();
                else break;
            }
        }
    }

    private static bool Present(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget != null;

    /// <summary>What a RUN's mounts hold while it runs; disposing releases caches, unmounts stages, deletes scratch copies.</summary>
    private sealed class RunMountResources : IDisposable
    {
        private readonly List<IDisposable> _owned = new();

        public List<Mount> Mounts { get; } = new();

        public void Add(Mount m) => Mounts.Add(m);

        public void Own(IDisposable d) => _owned.Add(d);

        public void Dispose()
        {
            List<Exception>? errors = null;
            for (int i = _owned.Count - 1; i >= 0; i--)
            {
                try { _owned[i].Dispose(); }
                catch (Exception e) { (errors ??= new()).Add(e); }
            }
            _owned.Clear();
            if (errors != null) throw new AggregateException("releasing RUN --mount resources failed", errors);
        }
    }

    /// <summary>A directory removed, with its content, on dispose.</summary>
    private sealed class ScratchDir(string path) : IDisposable
    {
        public void Dispose()
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
    }
}
