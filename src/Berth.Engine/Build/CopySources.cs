using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Build.Context;
using Berth.Core;

namespace Berth.Engine.Build;

/// <summary>One file, directory or link a COPY/ADD reads: where it is on the host, its name in the digest, and its path below the destination.</summary>
public sealed record CopyEntry(string HostPath, string Name, string DestRel, bool IsDir, bool IsLink, int Source);

/// <summary>A matched source: its host path, whether its contents (a directory) or itself (a file) is copied.</summary>
public sealed record CopyMatch(string HostPath, string Name, bool IsDir);

/// <summary>Finds COPY/ADD sources below a root (the context or another image's filesystem) and digests what they read.</summary>
public sealed class CopySources
{
    private readonly Func<string, string> _resolve;
    private readonly DockerIgnore _ignore;
    private readonly DockerIgnore _exclude;

    /// <param name="resolve">Maps a root-relative path to a host path, following links only inside the root.</param>
    public CopySources(Func<string, string> resolve, DockerIgnore ignore, DockerIgnore exclude)
    {
        _resolve = resolve;
        _ignore = ignore;
        _exclude = exclude;
    }

    /// <summary>The matches of one source pattern; none is an error naming it.</summary>
    public List<CopyMatch> Match(string pattern, string keyword)
    {
        string clean = DockerIgnore.Clean(pattern.TrimStart('/'));
        var result = new List<CopyMatch>();
        if (!HasMeta(clean))
        {
            string host = _resolve(clean);
            bool exists = Directory.Exists(host) || File.Exists(host);
            if (exists && (clean == "." || !Skipped(clean))) result.Add(new CopyMatch(host, clean, Directory.Exists(host)));
        }
        else
        {
            var candidates = new List<string> { "." };
            foreach (string part in clean.Split('/'))
            {
                var next = new List<string>();
                foreach (string dir in candidates)
                {
                    if (!HasMeta(part)) { next.Add(dir == "." ? part : dir + "/" + part); continue; }
                    string host = _resolve(dir);
                    if (!Directory.Exists(host)) continue;
                    var rx = GlobRegex(part);
                    foreach (var e in Directory.EnumerateFileSystemEntries(host).Select(Path.GetFileName).Order(StringComparer.Ordinal))
                        if (rx.IsMatch(e!)) next.Add(dir == "." ? e! : dir + "/" + e);
                }
                candidates = next;
            }
            foreach (string rel in candidates)
            {
                string host = _resolve(rel);
                if ((Directory.Exists(host) || File.Exists(host)) && !Skipped(rel)) result.Add(new CopyMatch(host, rel, Directory.Exists(host)));
            }
        }
        if (result.Count == 0)
            throw BerthException.NotFound($"{keyword} failed: file not found in build context or excluded by .dockerignore: stat {pattern}: file does not exist");
        return result;
    }

    /// <summary>Everything the matches read, in a stable order.</summary>
    public List<CopyEntry> Walk(IReadOnlyList<CopyMatch> matches)
    {
        var entries = new List<CopyEntry>();
        for (int i = 0; i < matches.Count; i++)
        {
            var m = matches[i];
            if (!m.IsDir) { entries.Add(new CopyEntry(m.HostPath, m.Name, Path.GetFileName(m.Name), false, false, i)); continue; }
            WalkDir(m.HostPath, m.Name, "", i, entries);
        }
        return entries;
    }

    private void WalkDir(string host, string name, string destRel, int source, List<CopyEntry> entries)
    {
        foreach (var info in new DirectoryInfo(host).EnumerateFileSystemInfos().OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            string childName = name == "." ? info.Name : name + "/" + info.Name;
            string childDest = destRel.Length == 0 ? info.Name : destRel + "/" + info.Name;
            bool link = info.LinkTarget != null;
            bool dir = !link && (info.Attributes & FileAttributes.Directory) != 0;
            if (Skipped(childName) && !(dir && (_ignore.HasExclusions || _exclude.HasExclusions))) continue;
            if (dir)
            {
                if (!Skipped(childName)) entries.Add(new CopyEntry(info.FullName, childName, childDest, true, false, source));
                WalkDir(info.FullName, childName, childDest, source, entries);
            }
            else entries.Add(new CopyEntry(info.FullName, childName, childDest, false, link, source));
        }
    }

    private bool Skipped(string rel) => _ignore.IsIgnored(rel) || _exclude.IsIgnored(rel);

    /// <summary>Per-entry digests (name → digest of type, mode, size and content) and their combined digest.</summary>
    public static (string Digest, Dictionary<string, string> Files) Digest(IEnumerable<CopyEntry> entries)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var all = new StringBuilder();
        foreach (var e in entries)
        {
            string d = EntryDigest(e);
            files[e.Name] = d;
            all.Append(e.Source).Append('\0').Append(e.Name).Append('\0').Append(e.DestRel).Append('\0').Append(d).Append('\n');
        }
        return ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all.ToString()))), files);
    }

    private static string EntryDigest(CopyEntry e)
    {
        if (e.IsLink) return "link:" + new FileInfo(e.HostPath).LinkTarget;
        int mode = (int)File.GetUnixFileMode(e.HostPath);
        if (e.IsDir) return "dir:" + Convert.ToString(mode, 8);
        using var fs = File.OpenRead(e.HostPath);
        return "file:" + Convert.ToString(mode, 8) + ":" + Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    private static bool HasMeta(string s) => s.IndexOfAny(['*', '?', '[']) >= 0;

    private static Regex GlobRegex(string part)
    {
        var sb = new StringBuilder("^");
        for (int i = 0; i < part.Length; i++)
        {
            char c = part[i];
            if (c == '*') sb.Append("[^/]*");
            else if (c == '?') sb.Append("[^/]");
            else if (c == '[' && part.IndexOf(']', i + 1) is int end and > 0)
            {
                string cls = part[(i + 1)..end];
                sb.Append('[').Append(cls.StartsWith('^') || cls.StartsWith('!') ? "^" + cls[1..] : cls).Append(']');
                i = end;
            }
            else if (c == '\\' && i + 1 < part.Length) sb.Append(Regex.Escape(part[++i].ToString()));
            else sb.Append(Regex.Escape(c.ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
