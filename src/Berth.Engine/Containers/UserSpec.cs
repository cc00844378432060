using Berth.Core;

namespace Berth.Engine.Containers;

/// <summary>Resolves Docker's <c>user[:group]</c> form against the image's /etc/passwd and /etc/group.</summary>
public static class UserSpec
{
    /// <summary>The uid, gid and supplementary gids for <paramref name="user"/> (empty means root).</summary>
    public static (uint Uid, uint Gid, List<uint> Groups, string Home) Resolve(string? user, LayeredRootfs rootfs, IEnumerable<string>? groupAdd = null)
    {
        string userPart = string.IsNullOrEmpty(user) ? "0" : user;
        string? groupPart = null;
        int colon = userPart.IndexOf(':');
        if (colon >= 0)
        {
            groupPart = userPart[(colon + 1)..];
            userPart = userPart[..colon];
        }
        var passwd = ParseColonFile(rootfs.ReadAllText("/etc/passwd"));
        var groups = ParseColonFile(rootfs.ReadAllText("/etc/group"));

        uint uid, gid = 0;
        string home = "/";
        string? userName = null;
        if (uint.TryParse(userPart, out uid))
        {
            var entry = passwd.FirstOrDefault(p => p.Length >= 6 && p[2] == userPart);
            if (entry != null) { gid = ParseId(entry[3], "gid in /etc/passwd"); home = entry[5]; userName = entry[0]; }
        }
        else
        {
            var entry = passwd.FirstOrDefault(p => p.Length >= 6 && p[0] == userPart)
                ?? throw BerthException.Invalid($"unable to find user {userPart}: no matching entries in passwd file");
            uid = ParseId(entry[2], "uid in /etc/passwd");
            gid = ParseId(entry[3], "gid in /etc/passwd");
            home = entry[5];
            userName = entry[0];
        }

        if (!string.IsNullOrEmpty(groupPart))
            gid = LookupGroup(groupPart, groups);

        var extra = new List<uint>();
        if (userName != null && string.IsNullOrEmpty(groupPart))
        {
            foreach (var g in groups)
                if (g.Length >= 4 && g[3].Split(',').Contains(userName) && uint.TryParse(g[2], out var sg) && sg != gid)
                    extra.Add(sg);
        }
        if (groupAdd != null)
            foreach (var g in groupAdd) extra.Add(LookupGroup(g, groups));
        return (uid, gid, extra.Distinct().ToList(), home);
    }

    private static uint LookupGroup(string group, List<string[]> groups)
    {
        if (uint.TryParse(group, out var gid)) return gid;
        var entry = groups.FirstOrDefault(g => g.Length >= 3 && g[0] == group)
            ?? throw BerthException.Invalid($"unable to find group {group}: no matching entries in group file");
        return ParseId(entry[2], "gid in /etc/group");
    }

    private static uint ParseId(string text, string what) =>
        uint.TryParse(text, out var v) ? v : throw BerthException.Invalid($"invalid {what}: \"{text}\"");

    private static List<string[]> ParseColonFile(string? text) =>
        text == null ? new() : text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(':')).ToList();
}
