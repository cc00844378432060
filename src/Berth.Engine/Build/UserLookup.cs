using Berth.Core;

namespace Berth.Engine.Build;

/// <summary>Resolves --chown user and group names through the image's /etc/passwd and /etc/group.</summary>
public static class UserLookup
{
    /// <summary>uid and gid for "user[:group]"; a numeric user without a group gets the same number as gid.</summary>
    public static (int Uid, int Gid) Resolve(string spec, string root)
    {
        int colon = spec.IndexOf(':');
        string user = colon < 0 ? spec : spec[..colon];
        string? group = colon < 0 ? null : spec[(colon + 1)..];
        int uid, gid;
        if (int.TryParse(user, out uid))
        {
            gid = uid;
        }
        else
        {
            var entry = Find(root, "etc/passwd", user) ?? throw BerthException.Invalid($"unable to convert uid/gid chown string to host mapping: can't find uid for user {user}: no such user: {user}");
            uid = int.Parse(entry[2]);
            gid = entry.Length > 3 && int.TryParse(entry[3], out int g) ? g : uid;
        }
        if (!string.IsNullOrEmpty(group))
        {
            if (!int.TryParse(group, out gid))
            {
                var entry = Find(root, "etc/group", group) ?? throw BerthException.Invalid($"unable to convert uid/gid chown string to host mapping: can't find gid for group {group}: no such group: {group}");
                gid = int.Parse(entry[2]);
            }
        }
        return (uid, gid);
    }

    private static string[]? Find(string root, string file, string name)
    {
        string path = Containers.ScopedPath.Resolve(root, file, followFinal: true);
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0] == name && int.TryParse(fields[2], out _)) return fields;
        }
        return null;
    }
}
