using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Init;

/// <summary>OCI mount options split into mount(2) flags, propagation flags and the filesystem data string.</summary>
internal sealed record MountOptions(ulong Flags, ulong Propagation, string Data, bool Bind, bool Recursive)
{
    private static readonly Dictionary<string, (ulong Set, ulong Clear)> FlagOptions = new()
    {
        ["ro"] = (MS_RDONLY, 0), ["rw"] = (0, MS_RDONLY),
        ["nosuid"] = (MS_NOSUID, 0), ["suid"] = (0, MS_NOSUID),
        ["nodev"] = (MS_NODEV, 0), ["dev"] = (0, MS_NODEV),
        ["noexec"] = (MS_NOEXEC, 0), ["exec"] = (0, MS_NOEXEC),
        ["sync"] = (MS_SYNCHRONOUS, 0), ["async"] = (0, MS_SYNCHRONOUS),
        ["dirsync"] = (MS_DIRSYNC, 0), ["mand"] = (MS_MANDLOCK, 0), ["nomand"] = (0, MS_MANDLOCK),
        ["noatime"] = (MS_NOATIME, 0), ["atime"] = (0, MS_NOATIME),
        ["nodiratime"] = (MS_NODIRATIME, 0), ["diratime"] = (0, MS_NODIRATIME),
        ["relatime"] = (MS_RELATIME, 0), ["norelatime"] = (0, MS_RELATIME),
        ["strictatime"] = (MS_STRICTATIME, 0), ["nostrictatime"] = (0, MS_STRICTATIME),
        ["defaults"] = (0, 0),
    };

    private static readonly Dictionary<string, ulong> PropagationOptions = new()
    {
        ["private"] = MS_PRIVATE, ["rprivate"] = MS_PRIVATE | MS_REC,
        ["shared"] = MS_SHARED, ["rshared"] = MS_SHARED | MS_REC,
        ["slave"] = MS_SLAVE, ["rslave"] = MS_SLAVE | MS_REC,
        ["unbindable"] = MS_UNBINDABLE, ["runbindable"] = MS_UNBINDABLE | MS_REC,
    };

    public static MountOptions Parse(string type, IEnumerable<string> options)
    {
        ulong flags = 0, propagation = 0;
        var bind = type == "bind";
        var recursive = false;
        var data = new List<string>();
        foreach (var o in options)
        {
            if (o is "bind" or "rbind")
            {
                bind = true;
                recursive |= o == "rbind";
            }
            else if (FlagOptions.TryGetValue(o, out var f))
                flags = (flags | f.Set) & ~f.Clear;
            else if (PropagationOptions.TryGetValue(o, out var p))
                propagation = p;
            else
                data.Add(o);
        }
        return new MountOptions(flags, propagation, string.Join(',', data), bind, recursive);
    }
}
