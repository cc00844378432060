using System.Security.Cryptography;
using System.Text;

namespace Berth.Build.Planning;

/// <summary>
/// What a build step's result depends on: the image it starts from, its instruction after expansion, the build args in
/// its environment, and for COPY/ADD the digest of the files it reads. Equal keys mean the earlier result can be reused.
/// </summary>
public sealed record CacheKey(string ParentId, string Instruction, IReadOnlyList<KeyValuePair<string, string>> Args, string? ContentDigest)
{
    /// <summary>The key as a "sha256:…" digest; arguments are sorted so their order does not matter.</summary>
    public string Digest
    {
        get
        {
            var sb = new StringBuilder();
            sb.Append("parent\0").Append(ParentId).Append('\n');
            sb.Append("instruction\0").Append(Instruction).Append('\n');
            foreach (var (k, v) in Args.OrderBy(a => a.Key, StringComparer.Ordinal)) sb.Append("arg\0").Append(k).Append('\0').Append(v).Append('\n');
            if (ContentDigest != null) sb.Append("content\0").Append(ContentDigest).Append('\n');
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
        }
    }

    /// <summary>Why <paramref name="previous"/> (the last key recorded for this step) does not match this one, or null when it does.</summary>
    public string? ExplainMiss(CacheKey? previous, IReadOnlyDictionary<string, string>? previousFiles, IReadOnlyDictionary<string, string>? files)
    {
        if (previous == null) return "no earlier build of this step";
        if (previous.ParentId != ParentId) return "the previous step's result changed";
        if (previous.Instruction != Instruction) return $"the instruction changed (was: {previous.Instruction})";
        var before = previous.Args.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        var now = Args.ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        foreach (var k in before.Keys.Union(now.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            before.TryGetValue(k, out var b);
            now.TryGetValue(k, out var n);
            if (b != n) return $"build arg {k} changed ({Show(b)} -> {Show(n)})";
        }
        if (previous.ContentDigest != ContentDigest)
        {
            if (previousFiles != null && files != null)
            {
                foreach (var (path, digest) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    if (!previousFiles.TryGetValue(path, out var old)) return $"file {path} was added";
                    if (old != digest) return $"file {path} changed";
                }
                foreach (var path in previousFiles.Keys.OrderBy(k => k, StringComparer.Ordinal))
                    if (!files.ContainsKey(path)) return $"file {path} was removed";
            }
            return "the copied files changed";
        }
        return null;
    }

    private static string Show(string? v) => v == null ? "unset" : "\"" + v + "\"";
}
