using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Integration.Tests;

/// <summary>One layer of a hand-made image: its blob as pushed (any compression), media type and uncompressed digest.</summary>
public sealed record UploadLayer(byte[] Blob, string MediaType, string DiffId)
{
    public string Digest => ImageUpload.Sha256(Blob);
}

/// <summary>
/// Makes images by hand (layer tars, config, OCI or Docker schema 2 manifest) and pushes them to a registry with plain
/// distribution-spec requests, so a test controls exactly what the registry serves: media types, compressions, digests.
/// </summary>
public static class ImageUpload
{
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json", DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string OciLayerTar = "application/vnd.oci.image.layer.v1.tar", DockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar";

    public static string Sha256(byte[] data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>An uncompressed layer tar of the given files (path → content; mode 0755 for paths under bin/).</summary>
    public static byte[] Tar(params (string Path, byte[] Content)[] files)
    {
        var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in files.Select(f => Path.GetDirectoryName(f.Path)!).Where(d => d.Length > 0).Distinct())
                w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir + "/") { Mode = (UnixFileMode)0x1ed });
            foreach (var (path, content) in files)
                w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(content),
                    Mode = path.StartsWith("bin/", StringComparison.Ordinal) ? (UnixFileMode)0x1ed : (UnixFileMode)0x1a4,
                });
        }
        return tar.ToArray();
    }

    /// <summary>Pushes config and layers, then the manifest under <paramref name="tag"/>; returns the manifest's digest.</summary>
    public static async Task<string> PushAsync(string hostPort, string repo, string tag, IReadOnlyList<UploadLayer> layers, string manifestType,
        string[]? cmd = null, IReadOnlyList<string>? diffIds = null)
    {
        bool docker = manifestType == DockerManifest;
        string configType = docker ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json";
        string ids = string.Join(",", (diffIds ?? layers.Select(l => l.DiffId).ToList()).Select(d => $"\"{d}\""));
        string cmdJson = string.Join(",", (cmd ?? ["/bin/busybox", "true"]).Select(c => $"\"{c}\""));
        byte[] config = Encoding.UTF8.GetBytes(
            $$$"""{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],"Cmd":[{{{cmdJson}}}]},"rootfs":{"type":"layers","diff_ids":[{{{ids}}}]}}""");
        using var http = new HttpClient { BaseAddress = new Uri($"http://{hostPort}/") };
        await PushBlobAsync(http, repo, config);
        foreach (var layer in layers) await PushBlobAsync(http, repo, layer.Blob);
        string layerJson = string.Join(",", layers.Select(l => $$"""{"mediaType":"{{l.MediaType}}","digest":"{{l.Digest}}","size":{{l.Blob.Length}}}"""));
        byte[] manifest = Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{manifestType}}","config":{"mediaType":"{{configType}}","digest":"{{Sha256(config)}}","size":{{config.Length}}},"layers":[{{layerJson}}]}""");
        var content = new ByteArrayContent(manifest);
        content.Headers.ContentType = new MediaTypeHeaderValue(manifestType);
        using var res = await http.PutAsync($"v2/{repo}/manifests/{tag}", content);
        if (res.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"PUT manifest {repo}:{tag}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
        return Sha256(manifest);
    }

    /// <summary>A blob as the registry serves it.</summary>
    public static async Task<byte[]> GetBlobAsync(string hostPort, string repo, string digest)
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync($"http://{hostPort}/v2/{repo}/blobs/{digest}");
    }

    private static async Task PushBlobAsync(HttpClient http, string repo, byte[] blob)
    {
        using var start = await http.PostAsync($"v2/{repo}/blobs/uploads/", null);
        if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is not { } location)
            throw new InvalidOperationException($"POST upload to {repo}: {(int)start.StatusCode}");
        var at = new Uri(http.BaseAddress!, location);
        string put = at + (string.IsNullOrEmpty(at.Query) ? "?" : "&") + "digest=" + Sha256(blob);
        var content = new ByteArrayContent(blob);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var res = await http.PutAsync(put, content);
        if (res.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"PUT blob to {repo}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
    }
}
