using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using Berth.Build.Context;
using Berth.Core;

namespace Berth.Engine.Build;

/// <summary>ADD's extras over COPY: URLs fetched by the daemon (with --checksum verified) and local tar archives unpacked.</summary>
public static class AddSources
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>A fetched URL in a temporary file.</summary>
    public sealed record Download(string Path, string FileName, string Digest, DateTime? LastModified);

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static async Task<Download> DownloadAsync(string url, string? checksum, string tmpDir, CancellationToken ct)
    {
        string path = Path.Combine(tmpDir, "add-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var response = await Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            if (!response.IsSuccessStatusCode)
                throw BerthException.Invalid($"ADD failed: fetching {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            string digest;
            await using (var fs = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite))
            {
                await (await response.Content.ReadAsStreamAsync(ct)).CopyToAsync(fs, ct);
                fs.Position = 0;
                digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(fs, ct));
            }
            if (checksum != null && !checksum.Equals(digest, StringComparison.OrdinalIgnoreCase))
                throw BerthException.Invalid($"ADD failed: digest mismatch for {url}: expected {checksum}, got {digest}");
            string name = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? Path.GetFileName(uri.AbsolutePath) : "";
            return new Download(path, name.Length == 0 ? "__unnamed__" : name, digest, response.Content.Headers.LastModified?.UtcDateTime);
        }
        catch (HttpRequestException e)
        {
            File.Delete(path);
            throw BerthException.Invalid($"ADD failed: fetching {url}: {e.Message}");
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    private static ReadOnlySpan<byte> XzMagic => [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00];

    /// <summary>Whether a local ADD source is a tar archive (plain, gzip, bzip2, xz or zstd) to unpack rather than copy.</summary>
    public static bool IsArchive(string path)
    {
        using var fs = File.OpenRead(path);
        var head = new byte[512];
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return true;
        if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return true;
        if (n >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h') return true;
        if (n >= 6 && head.AsSpan(0, 6).SequenceEqual(XzMagic)) return true;
        return n >= 262 && head.AsSpan(257, 5).SequenceEqual("ustar"u8);
    }

    /// <summary>Unpacks the archive into <paramref name="hostDir"/> (a directory inside <paramref name="root"/>), owners and modes as archived; no entry leaves the directory.</summary>
    public static void Extract(string archive, string root, string hostDir)
    {
        using var fs = File.OpenRead(archive);
        var head = new byte[6];
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        fs.Position = 0;
        Stream input = n >= 2 && head[0] == 0x1f && head[1] == 0x8b ? new GZipStream(fs, CompressionMode.Decompress)
            : n >= 4 && head[0] == 0x28 && head[1] == 0xb5 ? new ZstdSharp.DecompressionStream(fs)
            : n >= 3 && head[0] == (byte)'B' && head[1] == (byte)'Z' && head[2] == (byte)'h' ? SharpCompress.Compressors.BZip2.BZip2Stream.Create(fs, SharpCompress.Compressors.CompressionMode.Decompress, decompressConcatenated: true, leaveOpen: false, tolerateTruncatedStream: false)
            : n >= 6 && head.AsSpan(0, 6).SequenceEqual(XzMagic) ? new SharpCompress.Compressors.Xz.XZStream(fs)
            : fs;
        using var reader = new TarReader(input);
        string inside = hostDir[root.TrimEnd('/').Length..];
        while (reader.GetNextEntry() is { } entry)
        {
            string rel = DockerIgnore.Clean(entry.Name);
            if (rel == "." ) continue;
            if (rel.StartsWith("..", StringComparison.Ordinal)) throw BerthException.Invalid($"ADD {Path.GetFileName(archive)}: entry \"{entry.Name}\" leaves the destination");
            string target = inside.TrimEnd('/') + "/" + rel;
            string host = FileCopier.MakeParents(root, target);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(host);
                    File.SetUnixFileMode(host, (UnixFileMode)((int)entry.Mode & 0xfff));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    FileCopier.WriteFile(root, target, entry.DataStream ?? Stream.Null, (UnixFileMode)((int)entry.Mode & 0xfff), (entry.Uid, entry.Gid), entry.ModificationTime.UtcDateTime);
                    continue;
                case TarEntryType.SymbolicLink:
                    if (File.Exists(host) || new FileInfo(host).LinkTarget != null) File.Delete(host);
                    File.CreateSymbolicLink(host, entry.LinkName);
                    break;
                default:
                    continue;
            }
        }
    }
}
