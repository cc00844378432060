using Berth.Core;

namespace Berth.Engine.Containers;

/// <summary>Resolves a path inside a container root on the host, following symlinks as the container would see them, never leaving the root.</summary>
public static class ScopedPath
{
    private const int MaxLinks = 255;

    /// <summary>The host path for <paramref name="path"/> under <paramref name="root"/>; the last component's symlink is followed only when asked.</summary>
    public static string Resolve(string root, string path, bool followFinal)
    {
        var parts = new Stack<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse());
        var resolved = new List<string>();
        int links = 0;
        while (parts.Count > 0)
        {
            string part = parts.Pop();
            if (part == ".") continue;
            if (part == "..")
            {
                if (resolved.Count > 0) resolved.RemoveAt(resolved.Count - 1);
                continue;
            }
            string candidate = Path.Combine(root, string.Join('/', resolved.Append(part)));
            var info = new FileInfo(candidate);
            bool isLast = parts.Count == 0;
            if (info.LinkTarget is { } target && (!isLast || followFinal))
            {
                if (++links > MaxLinks) throw BerthException.Invalid($"too many levels of symbolic links resolving {path}");
                if (target.StartsWith('/')) resolved.Clear();
                foreach (var t in target.Split('/', StringSplitOptions.RemoveEmptyEntries).Reverse()) parts.Push(t);
                continue;
            }
            resolved.Add(part);
        }
        return resolved.Count == 0 ? root : Path.Combine(root, string.Join('/', resolved));
    }
}
