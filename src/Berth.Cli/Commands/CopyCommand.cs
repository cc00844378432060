using System.Formats.Tar;
using Berth.Cli.Parsing;
using Berth.Cli.Terminal;
using Berth.Client;
using Berth.Core.EngineApi;

namespace Berth.Cli.Commands;

/// <summary>docker cp in both directions, with "-" for a tar stream on stdin/stdout, following docker's rules for existing and missing destinations.</summary>
internal static class CopyCommand
{
    private const uint ModeDir = 1u << 31;

    public static async Task<int> RunAsync(CommandContext ctx)
    {
        var (srcContainer, srcPath) = Split(ctx.Args[0]);
        var (dstContainer, dstPath) = Split(ctx.Args[1]);
        if (srcContainer == null && dstContainer == null) throw new UsageException("must specify at least one container source");
        if (srcContainer != null && dstContainer != null) throw new UsageException("copying between containers is not supported");
        if (srcPath.Length == 0 || dstPath.Length == 0) throw new UsageException("filepath cannot be empty");
        return srcContainer != null
            ? await FromContainerAsync(ctx, srcContainer, srcPath, dstPath).ConfigureAwait(false)
            : await ToContainerAsync(ctx, dstContainer!, srcPath, dstPath).ConfigureAwait(false);
    }

    /// <summary>"name:/path" → (name, /path); local paths (absolute, ./ or no colon) → (null, path).</summary>
    public static (string? Container, string Path) Split(string arg)
    {
        if (arg.StartsWith('/') || arg.StartsWith('.') || arg == "-") return (null, arg);
        int colon = arg.IndexOf(':');
        return colon <= 0 ? (null, arg) : (arg[..colon], arg[(colon + 1)..]);
    }

    private static async Task<int> FromContainerAsync(CommandContext ctx, string container, string src, string dst)
    {
        var client = ctx.Client;
        if (ctx.Flags.Bool("follow-link"))
        {
            var st = await client.StatPathAsync(container, src).ConfigureAwait(false);
            if (st.LinkTarget.Length > 0) src = st.LinkTarget;
        }
        using var response = await client.GetArchiveAsync(container, src).ConfigureAwait(false);
        if (dst == "-")
        {
            await response.Body.CopyToAsync(StreamSession.Stdout(ctx)).ConfigureAwait(false);
            return 0;
        }
        var stat = EngineClient.DecodePathStat(response.Header("X-Docker-Container-Path-Stat"), container, src);
        bool srcIsDir = (stat.Mode & ModeDir) != 0;
        bool contentsOnly = src.EndsWith("/.", StringComparison.Ordinal);
        string root;
        if (Directory.Exists(dst)) root = contentsOnly ? dst : Path.Combine(dst, stat.Name);
        else if (File.Exists(dst))
        {
            if (srcIsDir) throw new CommandFailedException(1, $"cannot copy directory to file: {dst} exists and is not a directory");
            root = dst;
        }
        else
        {
            if (dst.EndsWith('/')) throw new CommandFailedException(1, $"destination directory \"{dst}\" does not exist");
            string parent = Path.GetDirectoryName(Path.GetFullPath(dst)) ?? "/";
            if (!Directory.Exists(parent)) throw new CommandFailedException(1, $"no such directory: {parent}");
            root = dst;
        }
        long copied = await ExtractAsync(response.Body, Path.GetFullPath(root), ctx.Flags.Bool("archive")).ConfigureAwait(false);
        if (!ctx.Flags.Bool("quiet")) ctx.Err.WriteLine($"Successfully copied {HumanUnits.Size(copied)} to {dst}");
        return 0;
    }

    /// <summary>Extracts a tar whose first path segment is the copied item's name, putting that item at root. Returns the bytes written.</summary>
    internal static async Task<long> ExtractAsync(Stream tar, string root, bool keepOwner)
    {
        long total = 0;
        using var reader = new TarReader(tar);
        var dirTimes = new List<(string, DateTimeOffset)>();
        while (await reader.GetNextEntryAsync().ConfigureAwait(false) is { } entry)
        {
            string name = entry.Name.TrimStart('/');
            if (name.StartsWith("./", StringComparison.Ordinal)) name = name[2..];
            int slash = name.IndexOf('/');
            string rel = slash < 0 ? "" : name[(slash + 1)..].TrimEnd('/');
            string target = Path.GetFullPath(rel.Length == 0 ? root : Path.Combine(root, rel));
            if (target != root && !target.StartsWith(root + "/", StringComparison.Ordinal))
                throw new CommandFailedException(1, $"refusing to extract {entry.Name} outside {root}");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    SetMode(target, entry.Mode);
                    dirTimes.Add((target, entry.ModificationTime));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    if (Directory.Exists(target)) throw new CommandFailedException(1, $"cannot overwrite directory {target} with a file");
                    await using (var fs = new FileStream(target, FileMode.Create, FileAccess.Write))
                    {
                        if (entry.DataStream != null) await entry.DataStream.CopyToAsync(fs).ConfigureAwait(false);
                        total += fs.Length;
                    }
                    SetMode(target, entry.Mode);
                    File.SetLastWriteTimeUtc(target, entry.ModificationTime.UtcDateTime);
                    break;
                case TarEntryType.SymbolicLink:
                    if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget != null) File.Delete(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
                case TarEntryType.HardLink:
                    string linkRel = entry.LinkName.TrimStart('/');
                    int s = linkRel.IndexOf('/');
                    string source = Path.Combine(root, s < 0 ? "" : linkRel[(s + 1)..]);
                    File.Copy(source, target, overwrite: true);
                    break;
                default:
                    continue; // devices and fifos are not recreated on the host
            }
            if (keepOwner) Libc.lchown(target, entry.Uid, entry.Gid);
        }
        foreach (var (dir, time) in dirTimes) Directory.SetLastWriteTimeUtc(dir, time.UtcDateTime);
        return total;
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode & (UnixFileMode)0xfff);
    }

    private static async Task<int> ToContainerAsync(CommandContext ctx, string container, string src, string dst)
    {
        var client = ctx.Client;
        bool archive = ctx.Flags.Bool("archive");
        if (src == "-")
        {
            await client.PutArchiveAsync(container, dst, Console.OpenStandardInput(), true, archive).ConfigureAwait(false);
            return 0;
        }
        string full = Path.GetFullPath(src);
        var info = new FileInfo(full);
        if (!info.Exists && !Directory.Exists(full) && info.LinkTarget == null) throw new CommandFailedException(1, $"lstat {full}: no such file or directory");
        if (ctx.Flags.Bool("follow-link") && info.LinkTarget != null) full = info.ResolveLinkTarget(true)?.FullName ?? full;
        bool srcIsDir = Directory.Exists(full) && new DirectoryInfo(full).LinkTarget == null;
        bool contentsOnly = src.EndsWith("/.", StringComparison.Ordinal);

        ContainerPathStat? dstStat = null;
        try { dstStat = await client.StatPathAsync(container, dst).ConfigureAwait(false); }
        catch (EngineApiException e) when (e.StatusCode == 404 && !e.Message.Contains("container", StringComparison.OrdinalIgnoreCase)) { }
        string putDir, rootName;
        if (dstStat != null && (dstStat.Mode & ModeDir) != 0)
        {
            putDir = dst;
            rootName = contentsOnly ? "." : Path.GetFileName(full.TrimEnd('/'));
        }
        else
        {
            if (dstStat != null && srcIsDir) throw new CommandFailedException(1, $"cannot copy directory to file: {dst} exists in {container} and is not a directory");
            if (dstStat == null && dst.EndsWith('/')) throw new CommandFailedException(1, $"destination \"{container}:{dst}\" must be a directory");
            putDir = dst.Contains('/') ? dst[..dst.TrimEnd('/').LastIndexOf('/')] : ".";
            if (putDir.Length == 0) putDir = "/";
            rootName = dst.TrimEnd('/')[(dst.TrimEnd('/').LastIndexOf('/') + 1)..];
        }
        string tmp = Path.Combine(Path.GetTempPath(), "berth-cp-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            long size;
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                await using var writer = new TarWriter(fs, TarEntryFormat.Pax, leaveOpen: true);
                size = await AddAsync(writer, full, rootName, srcIsDir).ConfigureAwait(false);
            }
            await using (var input = File.OpenRead(tmp))
                await client.PutArchiveAsync(container, putDir, input, true, archive).ConfigureAwait(false);
            if (!ctx.Flags.Bool("quiet")) ctx.Err.WriteLine($"Successfully copied {HumanUnits.Size(size)} to {container}:{dst}");
        }
        finally
        {
            File.Delete(tmp);
        }
        return 0;
    }

    private static async Task<long> AddAsync(TarWriter writer, string path, string name, bool isDir)
    {
        long total = 0;
        if (!isDir)
        {
            await writer.WriteEntryAsync(path, name).ConfigureAwait(false);
            return new FileInfo(path).LinkTarget == null ? new FileInfo(path).Length : 0;
        }
        if (name != ".") await writer.WriteEntryAsync(path, name + "/").ConfigureAwait(false);
        foreach (var entry in new DirectoryInfo(path).EnumerateFileSystemInfos())
        {
            string child = name == "." ? entry.Name : name + "/" + entry.Name;
            bool childDir = entry is DirectoryInfo && entry.LinkTarget == null;
            total += await AddAsync(writer, entry.FullName, child, childDir).ConfigureAwait(false);
        }
        return total;
    }
}
