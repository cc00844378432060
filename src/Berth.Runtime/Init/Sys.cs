using Berth.Runtime.Native;

namespace Berth.Runtime.Init;

/// <summary>The syscalls the init makes, throwing <see cref="SetupException"/> with the path and errno on failure.</summary>
internal static unsafe class Sys
{
    public static void Mount(string? source, string target, string? fstype, ulong flags, string? data)
    {
        if (Libc.mount(source, target, fstype, flags, data) != 0)
            throw SetupException.Errno($"mount {fstype ?? source ?? "(none)"} on {target}", Errno.Last);
    }

    public static void Mkdir(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (IOException e)
        {
            throw new SetupException(125, $"mkdir {path}: {e.Message}");
        }
    }

    public static void Symlink(string target, string link)
    {
        try
        {
            if (File.Exists(link) || Directory.Exists(link) || new FileInfo(link).LinkTarget != null)
                return;
            File.CreateSymbolicLink(link, target);
        }
        catch (IOException e)
        {
            throw new SetupException(125, $"symlink {link} -> {target}: {e.Message}");
        }
    }

    /// <summary>Creates an empty file to serve as a bind-mount target.</summary>
    public static void Touch(string path)
    {
        if (File.Exists(path))
            return;
        var fd = Libc.open(path, LinuxConstants.O_CREAT | LinuxConstants.O_WRONLY | LinuxConstants.O_CLOEXEC, 0x1a4);
        if (fd < 0)
            throw SetupException.Errno($"create {path}", Errno.Last);
        Libc.close(fd);
    }

    public static void Chdir(string path)
    {
        if (Libc.chdir(path) != 0)
            throw SetupException.Errno($"chdir {path}", Errno.Last);
    }

    public static void SetHostname(string name, bool domain)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
        {
            var rc = domain ? Libc.setdomainname(p, bytes.Length) : Libc.sethostname(p, bytes.Length);
            if (rc != 0)
                throw SetupException.Errno($"set {(domain ? "domainname" : "hostname")} \"{name}\"", Errno.Last);
        }
    }

    public static void Syscall(string what, long nr, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0)
    {
        if (Libc.syscall(nr, a1, a2, a3, a4, a5) < 0)
            throw SetupException.Errno(what, Errno.Last);
    }

    public static void Prctl(string what, int option, ulong a2, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
    {
        if (Libc.prctl(option, a2, a3, a4, a5) != 0)
            throw SetupException.Errno(what, Errno.Last);
    }
}
