using System.Net.Sockets;
using System.Text;

namespace Berth.Cli.Tests;

/// <summary>A request the fake engine received.</summary>
public sealed class FakeRequest
{
    public string Method { get; init; } = "";
    public string Target { get; init; } = "";
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);
    public byte[] Body { get; set; } = Array.Empty<byte>();
    public string BodyText => Encoding.UTF8.GetString(Body);
    public string Path => Target.Split('?')[0];
    public string Query => Target.Contains('?') ? Target[(Target.IndexOf('?') + 1)..] : "";
}

/// <summary>A tiny HTTP/1.1 server on a unix socket in a temp dir: each connection serves one request through a handler that writes the raw response.</summary>
public sealed class FakeEngine : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _cts = new();
    private readonly Func<FakeRequest, NetworkStream, Task> _handler;

    public FakeEngine(Func<FakeRequest, NetworkStream, Task> handler)
    {
        _handler = handler;
        Dir = Directory.CreateTempSubdirectory("berth-cli-test-").FullName;
        SocketPath = System.IO.Path.Combine(Dir, "engine.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(16);
        _ = AcceptLoop();
    }

    public string Dir { get; }
    public string SocketPath { get; }
    public List<FakeRequest> Requests { get; } = new();

    public Berth.Client.EngineClient Client() => new(Berth.Client.EngineEndpoint.Parse("unix://" + SocketPath));

    /// <summary>Serves fixed JSON bodies by "METHOD /path" (path without the version prefix); anything else is 404.</summary>
    public static FakeEngine Json(Dictionary<string, (int Status, string Body)> routes) => new(async (req, stream) =>
    {
        string path = req.Path.StartsWith("/v1.50", StringComparison.Ordinal) ? req.Path[6..] : req.Path;
        var (status, body) = routes.TryGetValue(req.Method + " " + path, out var r) ? r : (404, "{\"message\":\"page not found\"}");
        await WriteAsync(stream, status, body);
    });

    public static async Task WriteAsync(Stream stream, int status, string body, string contentType = "application/json")
    {
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        string head = $"HTTP/1.1 {status} X\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
    }

    private async Task AcceptLoop()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket s;
            try { s = await _listener.AcceptAsync(_cts.Token); }
            catch { return; }
            _ = Task.Run(async () =>
            {
                using var stream = new NetworkStream(s, ownsSocket: true);
                try
                {
                    var req = await ReadRequestAsync(stream);
                    lock (Requests) Requests.Add(req);
                    await _handler(req, stream);
                }
                catch (IOException) { }
            });
        }
    }

    private static async Task<FakeRequest> ReadRequestAsync(NetworkStream stream)
    {
        string line = await ReadLineAsync(stream);
        var parts = line.Split(' ');
        var req = new FakeRequest { Method = parts[0], Target = parts[1] };
        while ((line = await ReadLineAsync(stream)).Length > 0)
        {
            int colon = line.IndexOf(':');
            req.Headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }
        var body = new MemoryStream();
        if (req.Headers.TryGetValue("Content-Length", out var cl) && int.Parse(cl) is > 0 and var n)
        {
            var buf = new byte[n];
            await stream.ReadExactlyAsync(buf);
            body.Write(buf);
        }
        else if (req.Headers.TryGetValue("Transfer-Encoding", out var te) && te == "chunked")
        {
            while (true)
            {
                int size = Convert.ToInt32(await ReadLineAsync(stream), 16);
                if (size == 0) { await ReadLineAsync(stream); break; }
                var buf = new byte[size];
                await stream.ReadExactlyAsync(buf);
                body.Write(buf);
                await ReadLineAsync(stream);
            }
        }
        req.Body = body.ToArray();
        return req;
    }

    private static async Task<string> ReadLineAsync(Stream stream)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n') break;
            if (one[0] != '\r') sb.Append((char)one[0]);
        }
        return sb.ToString();
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Dispose();
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}
