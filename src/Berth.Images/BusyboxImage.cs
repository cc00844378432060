using System.Diagnostics;
using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Text;
using Berth.Core;
using Berth.Core.Oci;

namespace Berth.Images;

/// <summary>Builds a real single-layer busybox image from the host's static busybox, so Berth works with no registry.</summary>
public static class BusyboxImage
{
    /// <summary>Fixed so the same busybox always gives the same image ID.</summary>
    public static readonly DateTimeOffset Created = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const string Passwd =
        "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\nbin:x:2:2:bin:/bin:/bin/false\n" +
        "sys:x:3:3:sys:/dev:/bin/false\nsync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\n" +
        "www-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\nnobody:x:65534:65534:nobody:/home:/bin/false\n";

    private const string Group =
        "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\nmail:x:8:\nkmem:x:9:\nwheel:x:10:root\n" +
        "cdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\nvideo:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\n" +
        "plugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnogroup:x:65534:\n";

    /// <summary>Creates (or finds again) the busybox image and tags it <paramref name="tag"/>.</summary>
    public static ImageRecord Bootstrap(ImageStore store, string busyboxPath = "/bin/busybox", string tag = "busybox:latest")
    {
        byte[] layer = BuildLayer(busyboxPath);
        var (blob, _) = store.Content.WriteBytes(layer);
        string version = Version(busyboxPath);
        var config = new ImageConfigFile
        {
            Created = Created,
            Architecture = RuntimeInformation.OSArchitecture switch { Architecture.Arm64 => "arm64", Architecture.X86 => "386", _ => "amd64" },
            Os = "linux",
            Config = new ContainerRunConfig
            {
                Env = new List<string> { "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
                Cmd = new List<string> { "sh" },
            },
            History = new List<HistoryEntry>
            {
                new() { Created = Created, CreatedBy = $"/bin/sh -c #(nop) ADD file:{blob.Hex} in / ", Comment = version.Length > 0 ? "host " + version : null },
                new() { Created = Created, CreatedBy = "/bin/sh -c #(nop)  CMD [\"sh\"]", EmptyLayer = true },
            },
        };
        return store.Create(config, new[] { (blob, MediaTypes.OciLayer) }, tag);
    }

    /// <summary>The layer tar: busybox, an applet symlink per applet, users and groups, the usual empty dirs. Sorted, fixed times.</summary>
    public static byte[] BuildLayer(string busyboxPath)
    {
        byte[] binary = ReadStatic(busyboxPath);
        var applets = Applets(busyboxPath);
        var dirs = new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            ["bin"] = 0x1ed, ["dev"] = 0x1ed, ["etc"] = 0x1ed, ["home"] = 0x1ed, ["proc"] = 0x1ed, ["root"] = 0x1c0,
            ["sbin"] = 0x1ed, ["sys"] = 0x1ed, ["tmp"] = 0x3ff, ["usr"] = 0x1ed, ["usr/bin"] = 0x1ed, ["usr/sbin"] = 0x1ed,
            ["var"] = 0x1ed, ["var/spool"] = 0x1ed, ["var/spool/mail"] = 0x1ed, ["var/www"] = 0x1ed,
        };
        foreach (var a in applets)
            for (int i = a.IndexOf('/'); i > 0; i = a.IndexOf('/', i + 1)) dirs.TryAdd(a[..i], 0x1ed);
        var entries = new SortedDictionary<string, PaxTarEntry>(StringComparer.Ordinal);
        foreach (var (dir, mode) in dirs)
            entries[dir + "/"] = new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = (UnixFileMode)mode, ModificationTime = Created };
        foreach (var a in applets)
            if (a != "bin/busybox")
                entries[a] = new PaxTarEntry(TarEntryType.SymbolicLink, a) { LinkName = "/bin/busybox", Mode = (UnixFileMode)0x1ff, ModificationTime = Created };
        entries["bin/busybox"] = File("bin/busybox", binary, 0x1ed);
        entries["etc/passwd"] = File("etc/passwd", Encoding.ASCII.GetBytes(Passwd), 0x1a4);
        entries["etc/group"] = File("etc/group", Encoding.ASCII.GetBytes(Group), 0x1a4);
        var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
            foreach (var e in entries.Values) w.WriteEntry(e);
        return ms.ToArray();
    }

    private static PaxTarEntry File(string name, byte[] data, int mode) =>
        new(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)mode, ModificationTime = Created, DataStream = new MemoryStream(data) };

    /// <summary>Reads the binary and refuses a dynamically linked one (an ELF with a PT_INTERP program header): it would not run in an image without its libraries.</summary>
    private static byte[] ReadStatic(string path)
    {
        byte[] data;
        try { data = System.IO.File.ReadAllBytes(path); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw BerthException.Precondition($"busybox not found at {path}: {ex.Message} (install Debian's busybox-static)");
        }
        if (data.Length < 64 || data[0] != 0x7f || data[1] != (byte)'E' || data[2] != (byte)'L' || data[3] != (byte)'F')
            throw BerthException.Precondition($"{path} is not an ELF executable");
        if (data[4] != 2) throw BerthException.Precondition($"{path} is not a 64-bit ELF executable");
        long phoff = BitConverter.ToInt64(data, 32);
        int phentsize = BitConverter.ToUInt16(data, 54), phnum = BitConverter.ToUInt16(data, 56);
        for (int i = 0; i < phnum; i++)
        {
            long off = phoff + (long)i * phentsize;
            if (off + 4 > data.Length) break;
            if (BitConverter.ToUInt32(data, (int)off) == 3) // PT_INTERP
                throw BerthException.Precondition($"{path} is dynamically linked; a busybox image needs a static busybox (Debian's busybox-static)");
        }
        return data;
    }

    private static List<string> Applets(string busyboxPath)
    {
        var full = Run(busyboxPath, "--list-full");
        var list = full != null
            ? full.Select(l => l.Trim().TrimStart('/')).ToList()
            : (Run(busyboxPath, "--list") ?? throw BerthException.Precondition($"{busyboxPath} --list failed")).Select(l => "bin/" + l.Trim()).ToList();
        return list.Where(a => a.Length > 0 && !a.Contains("..") && !a.EndsWith('/')).Distinct().OrderBy(a => a, StringComparer.Ordinal).ToList();
    }

    private static string Version(string busyboxPath)
    {
        var first = Run(busyboxPath, "--help")?.FirstOrDefault() ?? "";
        return first.StartsWith("BusyBox", StringComparison.Ordinal) ? first.Trim() : "";
    }

    private static List<string>? Run(string file, string arg)
    {
        var psi = new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        try
        {
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd();
            p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return null;
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
