namespace Berth.Runtime.Init;

/// <summary>Resolves a container path inside the rootfs, following symlinks as if the rootfs were "/".</summary>
internal static class SecurePath
{
    /// <summary>The host path for <paramref name="containerPath"/>; symlinks are followed relative to <paramref name="root"/>.</summary>
    /// <exception cref="SetupException">A symlink's ".." would climb above the rootfs, or links loop.</exception>
    public static string Resolve(string root, string containerPath)
    {
        var pending = new Stack<string>(containerPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part == ".")
                continue;
            if (part == "..")
            {
                if (resolved.Count == 0)
                    throw new SetupException(125, $"mount destination {containerPath} escapes the rootfs");
                resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            var host = Path.Combine(root, string.Join('/', resolved), part);
            var target = new FileInfo(host).LinkTarget;
            if (target == null)
            {
                resolved.Add(part);
                continue;
            }
            if (++links > 40)
                throw new SetupException(125, $"mount destination {containerPath}: too many levels of symbolic links");
            if (target.StartsWith('/'))
                resolved.Clear();
            foreach (var p in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse())
                pending.Push(p);
        }
        return resolved.Count == 0 ? root : Path.Combine(root, string.Join('/', resolved));
    }
}
