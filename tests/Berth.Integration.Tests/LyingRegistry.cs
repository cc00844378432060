using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Berth.Integration.Tests;

/// <summary>
/// A registry on 127.0.0.1 that serves a two-layer image per repository and lies about it in one way each: a layer whose bytes
/// do not match its digest, a missing layer, an index giving the wrong size of its manifest, a connection cut mid-layer every
/// time, or once: then resumable with Range ("cutonce"), or answering the Range request with a corrupt rest ("cutlie"), with
/// the whole blob ("cutnorange"), or with bytes from the start labelled 206 ("cutshift"). "honest" serves the image as it is.
/// </summary>
public sealed class LyingRegistry : IDisposable
{
    public static readonly string[] Repositories = ["honest", "corrupt", "missing", "badsize", "cut", "cutonce", "cutlie", "cutnorange", "cutshift"];
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, (byte[] Body, string Type)> _blobs = new(StringComparer.Ordinal);
    private readonly byte[] _manifest, _index;
    private readonly string _layer2;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _cuts = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _ranges = new();

    public LyingRegistry()
    {
        int port = LoopbackRegistry.FreePort();
        HostPort = "127.0.0.1:" + port;
        var (l1, d1) = Layer("one.txt", 1000);
        var (l2, d2) = Layer("two.txt", 400_000);
        string config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/one.txt\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + d1 + "\",\"" + d2 + "\"]}}";
        string c = Add(Encoding.UTF8.GetBytes(config), "application/vnd.oci.image.config.v1+json");
        _layer2 = Add(l2, "application/vnd.oci.image.layer.v1.tar+gzip");
        string layer1 = Add(l1, "application/vnd.oci.image.layer.v1.tar+gzip");
        _manifest = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"{{c}}","size":{{config.Length}}},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{layer1}}","size":{{l1.Length}}},
                       {"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"{{_layer2}}","size":{{l2.Length}}}]}
            """);
        ManifestDigest = Add(_manifest, "application/vnd.oci.image.manifest.v1+json");
        _index = Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
             {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{ManifestDigest}}","size":{{_manifest.Length + 7}},
              "platform":{"architecture":"amd64","os":"linux"}
             }
            ]}
            """);
        _listener.Prefixes.Add($"http://{HostPort}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string HostPort { get; }
    public string ManifestDigest { get; }

    /// <summary>The Range headers of requests for the big layer, as "repo: bytes=N-".</summary>
    public IReadOnlyCollection<string> Ranges => _ranges;

    /// <summary>The size of the big layer, which the cut repositories cut at half.</summary>
    public int Layer2Size => _blobs[_layer2].Body.Length;

    private string Add(byte[] body, string type)
    {
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
        _blobs[digest] = (body, type);
        return digest;
    }

    private static (byte[] Gzip, string DiffId) Layer(string name, int size)
    {
        var tar = new MemoryStream();
        using (var w = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            var data = new byte[size];
            new Random(size).NextBytes(data);
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = UnixFileMode.UserRead | UnixFileMode.UserExecute });
        }
        string diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar.ToArray()));
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(tar.ToArray());
        return (gz.ToArray(), diffId);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            try { Answer(ctx); }
            catch (Exception) { try { ctx.Response.Abort(); } catch (Exception) { /* gone */ } }
        }
    }

    private void Answer(HttpListenerContext ctx)
    {
        var res = ctx.Response;
        string path = ctx.Request.Url!.AbsolutePath;
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v2, repo, kind, ref
        if (parts.Length != 4)
        {
            res.StatusCode = parts.Length == 1 ? 200 : 404;
            res.Close();
            return;
        }
        string repo = parts[1], kind = parts[2], reference = parts[3];
        byte[]? body = null;
        string type = "application/octet-stream";
        string? rangeAsked = ctx.Request.Headers["Range"];
        if (kind == "manifests")
        {
            if (reference == "v1" && repo == "badsize") (body, type) = (_index, "application/vnd.oci.image.index.v1+json");
            else if (reference is "v1" || reference == ManifestDigest) (body, type) = (_manifest, "application/vnd.oci.image.manifest.v1+json");
        }
        else if (kind == "blobs" && _blobs.TryGetValue(reference, out var blob))
        {
            body = blob.Body;
            if (reference == _layer2)
            {
                if (rangeAsked != null) _ranges.Enqueue(repo + ": " + rangeAsked);
                bool firstTime = repo.StartsWith("cut", StringComparison.Ordinal) && _cuts.AddOrUpdate(repo, 1, (_, n) => n + 1) == 1;
                if (repo == "missing") body = null;
                else if (repo == "corrupt") { body = (byte[])body.Clone(); body[body.Length / 2] ^= 0xff; }
                else if (repo == "cut" || (repo != "honest" && firstTime))
                {
                    res.ContentLength64 = body.Length;
                    res.OutputStream.Write(body, 0, body.Length / 2);
                    res.OutputStream.Flush();
                    res.Abort();
                    return;
                }
                else if (repo == "cutlie") { body = (byte[])body.Clone(); body[^10] ^= 0xff; }
                else if (repo == "cutnorange") rangeAsked = null;
                else if (repo == "cutshift" && rangeAsked != null)
                {
                    // 206 for the range asked, but the bytes (and their label) start at 0.
                    res.StatusCode = 206;
                    res.AddHeader("Content-Range", $"bytes 0-{body.Length - 1}/{body.Length}");
                    res.ContentLength64 = body.Length;
                    res.OutputStream.Write(body);
                    res.Close();
                    return;
                }
            }
        }
        if (body == null)
        {
            res.StatusCode = 404;
            byte[] err = """{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}"""u8.ToArray();
            res.ContentType = "application/json";
            res.OutputStream.Write(err);
            res.Close();
            return;
        }
        long from = 0;
        if (rangeAsked is { } range && range.StartsWith("bytes=") && long.TryParse(range[6..].TrimEnd('-'), out from) && from < body.Length)
        {
            res.StatusCode = 206;
            res.AddHeader("Content-Range", $"bytes {from}-{body.Length - 1}/{body.Length}");
        }
        else from = 0;
        res.ContentType = type;
        if (kind == "manifests") res.AddHeader("Docker-Content-Digest", "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)));
        res.ContentLength64 = body.Length - from;
        if (ctx.Request.HttpMethod != "HEAD") res.OutputStream.Write(body, (int)from, (int)(body.Length - from));
        res.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}
