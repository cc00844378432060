using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Integration.Tests;

/// <summary>
/// A registry on 127.0.0.1 for pull and push tests: Berth's own (<c>berth registry serve</c>) or Debian's docker-registry
/// (distribution 2.8), with a temporary storage root and optionally htpasswd auth; or Berth's inside a <see cref="PeerNetns"/>, on an
/// address that is not loopback. Disposing kills it and removes its files.
/// </summary>
public sealed class LoopbackRegistry : IDisposable
{
    public const string DistributionBinary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly string _dir;

    private LoopbackRegistry(Process process, string dir, int port, string host = "127.0.0.1")
    {
        _process = process;
        _dir = dir;
        HostPort = host + ":" + port;
    }

    public string HostPort { get; }
    public string StorageDir => Path.Combine(_dir, "data");

    /// <summary>
    /// Berth's registry server; with <paramref name="user"/> set, htpasswd Basic auth is on (or token auth, given
    /// <c>--token-auth</c> in <paramref name="extraArgs"/>).
    /// </summary>
    public static LoopbackRegistry StartBerth(string berthBinary, string? user = null, string? password = null, IEnumerable<string>? extraArgs = null)
    {
        string dir = NewDir();
        int port = FreePort();
        var args = new List<string> { "registry", "serve", "--root", Path.Combine(dir, "data"), "--addr", "127.0.0.1:" + port };
        if (user != null) args.AddRange(["--htpasswd", Htpasswd(dir, user, password!)]);
        if (extraArgs != null) args.AddRange(extraArgs);
        return Start(berthBinary, args, dir, port);
    }

    /// <summary>distribution 2.8 (docker-registry); null when it is not installed.</summary>
    public static LoopbackRegistry? StartDistribution(string? user = null, string? password = null)
    {
        if (!File.Exists(DistributionBinary)) return null;
        string dir = NewDir();
        string auth = user == null ? "" : $"""
            auth:
              htpasswd:
                realm: berth-test
                path: {Htpasswd(dir, user, password!)}
            """;
        return StartDistributionIn(dir, auth);
    }

    /// <summary>distribution 2.8 trusting the tokens of an issuer at <paramref name="realm"/> whose certificate is <paramref name="certBundle"/>.</summary>
    public static LoopbackRegistry? StartDistributionWithTokens(string realm, string service, string issuer, string certBundle)
    {
        if (!File.Exists(DistributionBinary)) return null;
        return StartDistributionIn(NewDir(), $"""
            auth:
              token:
                realm: {realm}
                service: {service}
                issuer: {issuer}
                rootcertbundle: {certBundle}
            """);
    }

    private static LoopbackRegistry StartDistributionIn(string dir, string auth)
    {
        int port = FreePort();
        string config = Path.Combine(dir, "config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(dir, "data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            {auth}
            """);
        return Start(DistributionBinary, ["serve", config], dir, port);
    }

    /// <summary>Berth's registry server over TLS on <paramref name="address"/> (an address of a bridge the test's daemon made).</summary>
    public static LoopbackRegistry StartBerthTls(string berthBinary, IPAddress address, string certPem, string keyPem)
    {
        string dir = NewDir();
        File.WriteAllText(Path.Combine(dir, "cert.pem"), certPem);
        File.WriteAllText(Path.Combine(dir, "key.pem"), keyPem);
        int port = FreePort();
        var args = new List<string> { "registry", "serve", "--root", Path.Combine(dir, "data"), "--addr", $"{address}:{port}",
            "--tls-cert", Path.Combine(dir, "cert.pem"), "--tls-key", Path.Combine(dir, "key.pem") };
        return Start(berthBinary, args, dir, port, address.ToString(), tls: true);
    }

    /// <summary>
    /// Berth's registry server inside <paramref name="peer"/>, on its peer address: plain HTTP, or TLS with the given certificate
    /// when <paramref name="certPem"/> is set.
    /// </summary>
    public static LoopbackRegistry StartBerthIn(PeerNetns peer, string berthBinary, string? certPem = null, string? keyPem = null)
    {
        string dir = NewDir();
        int port = FreePort();
        var args = new List<string> { "registry", "serve", "--root", Path.Combine(dir, "data"), "--addr", $"{peer.PeerAddress}:{port}" };
        if (certPem != null)
        {
            File.WriteAllText(Path.Combine(dir, "cert.pem"), certPem);
            File.WriteAllText(Path.Combine(dir, "key.pem"), keyPem!);
            args.AddRange(["--tls-cert", Path.Combine(dir, "cert.pem"), "--tls-key", Path.Combine(dir, "key.pem")]);
        }
        var (file, inside) = peer.Inside(berthBinary, args);
        return Start(file, inside, dir, port, peer.PeerAddress.ToString(), tls: certPem != null);
    }

    private static LoopbackRegistry Start(string file, List<string> args, string dir, int port, string host = "127.0.0.1", bool tls = false)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var log = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var registry = new LoopbackRegistry(p, dir, port, host);
        // Readiness only: the test itself checks what the daemon makes of the certificate.
        using var http = new HttpClient(new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } });
        for (int i = 0; i < 100 && !p.HasExited; i++)
        {
            try
            {
                using var res = http.GetAsync($"{(tls ? "https" : "http")}://{registry.HostPort}/v2/").GetAwaiter().GetResult();
                if (res.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized) return registry;
            }
            catch (HttpRequestException)
            {
            }
            Thread.Sleep(100);
        }
        registry.Dispose();
        throw new InvalidOperationException($"{file} did not come up on {registry.HostPort}: {log}");
    }

    private static string Htpasswd(string dir, string user, string password)
    {
        string path = Path.Combine(dir, "htpasswd");
        var psi = new ProcessStartInfo("/usr/bin/htpasswd") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var a in new[] { "-Bbn", user, password }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        File.WriteAllText(path, p.StandardOutput.ReadToEnd());
        p.WaitForExit();
        return path;
    }

    private static string NewDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "berth-it-registry-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
        try { Directory.Delete(_dir, true); } catch (IOException) { /* best effort */ }
    }
}
