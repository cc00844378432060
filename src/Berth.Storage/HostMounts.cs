using System.Text;
using Berth.Core;
using Berth.Storage.Native;

namespace Berth.Storage;

/// <summary>Mounts in the daemon's own mount namespace: what is mounted where (mountinfo), and mounting a filesystem with fstab-style options.</summary>
public static class HostMounts
{
    private static readonly Dictionary<string, ulong> Flags = new()
    {
        ["ro"] = 1, ["nosuid"] = 2, ["nodev"] = 4, ["noexec"] = 8, ["sync"] = 16, ["dirsync"] = 128,
        ["noatime"] = 1024, ["nodiratime"] = 2048, ["relatime"] = 1 << 21, ["strictatime"] = 1 << 24,
    };
    private const ulong MsBind = 4096, MsRec = 16384;

    /// <summary>Mount points at or below <paramref name="path"/>, deepest first (the order to unmount them in).</summary>
    public static IReadOnlyList<string> At(string path)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var found = new List<string>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var fields = line.Split(' ');
            if (fields.Length < 5) continue;
            string mp = Unescape(fields[4]);
            if (mp == root || mp.StartsWith(root + "/", StringComparison.Ordinal)) found.Add(mp);
        }
        return found.OrderByDescending(m => m.Length).ToList();
    }

    /// <summary>Whether something is mounted exactly at <paramref name="path"/>.</summary>
    public static bool IsMountPoint(string path)
    {
        string p = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return At(p).Contains(p);
    }

    /// <summary>
    /// Mounts <paramref name="device"/> of <paramref name="type"/> on <paramref name="target"/>. <paramref name="options"/> is a
    /// comma-separated list as mount(8) takes it: flag words (ro, nosuid, bind, …) become mount flags, the rest is filesystem data.
    /// Type "none" with the bind option binds a host directory.
    /// </summary>
    public static void Mount(string type, string device, string options, string target)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (var o in options.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (o == "bind") flags |= MsBind;
            else if (o == "rbind") flags |= MsBind | MsRec;
            else if (o == "rw") flags &= ~1UL;
            else if (Flags.TryGetValue(o, out var f)) flags |= f;
            else data.Add(o);
        }
        bool bind = (flags & MsBind) != 0;
        string fs = bind ? "" : type;
        if (LibC.Mount(device, target, fs, bind ? flags & (MsBind | MsRec) : flags, data.Count > 0 ? string.Join(',', data) : null) != 0)
            throw BerthException.Invalid($"mounting {type} {device} on {target} with options \"{options}\": {LibC.ErrnoName(LibC.Errno)}");
        // Flags on a bind only take effect through a remount.
        if (bind && (flags & ~(MsBind | MsRec)) != 0 && LibC.Mount("", target, "", flags | 32 /* MS_REMOUNT */, null) != 0)
        {
            int e = LibC.Errno;
            SnapshotStore.Unmount(target);
            throw BerthException.Invalid($"remounting {target} with options \"{options}\": {LibC.ErrnoName(e)}");
        }
    }

    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 3 < s.Length && char.IsAsciiDigit(s[i + 1]))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
