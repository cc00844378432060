using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Berth.Core;

namespace Berth.Distribution.Tests;

/// <summary>A <see cref="RegistryServer"/> on a random loopback port with its own root, and an HttpClient for it.</summary>
internal sealed class TestRegistry : IAsyncDisposable
{
    private TestRegistry(TempDir dir, RegistryServer server, HttpClient http)
    {
        Dir = dir;
        Server = server;
        Http = http;
    }

    public TempDir Dir { get; }
    public RegistryServer Server { get; }
    public HttpClient Http { get; }
    public string Root => Dir.Sub("root");
    public string HostPort => Server.BaseAddress.Authority;

    public static async Task<TestRegistry> StartAsync(string? htpasswd = null, string? cert = null, string? key = null, TempDir? dir = null,
        Action<RegistryServerOptions>? configure = null)
    {
        dir ??= new TempDir("berth-registry-");
        var options = new RegistryServerOptions
        {
            Root = dir.Sub("root"),
            Address = "127.0.0.1:0",
            HtpasswdFile = htpasswd,
            TlsCertFile = cert,
            TlsKeyFile = key,
        };
        configure?.Invoke(options);
        var server = new RegistryServer(options);
        await server.StartAsync();
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var http = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        return new TestRegistry(dir, server, http);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        Dir.Dispose();
    }

    public async Task<Digest> PushBlobAsync(string repo, byte[] data)
    {
        var d = Digest.Sha256(data);
        using var res = await Http.PostAsync($"/v2/{repo}/blobs/uploads/?digest={d}", new ByteArrayContent(data));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return d;
    }

    /// <summary>Pushes a config and one layer, then an OCI manifest for them under <paramref name="tag"/>.</summary>
    public async Task<(Digest Manifest, byte[] Body)> PushImageAsync(string repo, string tag, string seed = "x", string? subject = null, string? artifactType = null)
    {
        var configBytes = Encoding.UTF8.GetBytes("{\"seed\":\"" + seed + "\"}");
        var config = await PushBlobAsync(repo, configBytes);
        var layerBytes = Encoding.UTF8.GetBytes("layer-" + seed);
        var layer = await PushBlobAsync(repo, layerBytes);
        string json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\"" +
            (artifactType != null ? ",\"artifactType\":\"" + artifactType + "\"" : "") +
            ",\"config\":{\"mediaType\":\"" + MediaTypes.OciConfig + "\",\"digest\":\"" + config + "\",\"size\":" + configBytes.Length + "}" +
            ",\"layers\":[{\"mediaType\":\"" + MediaTypes.OciLayer + "\",\"digest\":\"" + layer + "\",\"size\":" + layerBytes.Length + "}]" +
            (subject != null ? ",\"subject\":" + subject : "") +
            ",\"annotations\":{\"seed\":\"" + seed + "\"}}";
        var body = Encoding.UTF8.GetBytes(json);
        using var res = await PutManifestAsync(repo, tag, body, MediaTypes.OciManifest);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        return (Digest.Sha256(body), body);
    }

    public Task<HttpResponseMessage> PutManifestAsync(string repo, string reference, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return Http.PutAsync($"/v2/{repo}/manifests/{reference}", content);
    }

    public static async Task<string> ErrorCodeAsync(HttpResponseMessage res)
    {
        using var doc = JsonDocument.Parse(await res.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("errors")[0].GetProperty("code").GetString()!;
    }

    /// <summary>Sends a request line as given (HttpClient would normalise "..", "//" and escapes away).</summary>
    public async Task<(int Status, string Body)> RawAsync(string method, string target)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, Server.BaseAddress.Port);
        using var stream = tcp.GetStream();
        var req = Encoding.ASCII.GetBytes($"{method} {target} HTTP/1.1\r\nHost: {HostPort}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        await stream.WriteAsync(req);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string all = await reader.ReadToEndAsync();
        int status = int.Parse(all.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        int bodyAt = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, bodyAt >= 0 ? all[(bodyAt + 4)..] : "");
    }
}
