using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Berth.Distribution.Tests;

/// <summary>A Fact that is skipped, with the reason shown, when a peer binary is not installed.</summary>
public sealed class RequiresBinaryFactAttribute : FactAttribute
{
    public RequiresBinaryFactAttribute(string path)
    {
        if (!File.Exists(path)) Skip = $"{path} is not installed; interop test skipped";
    }
}

/// <summary>Runs external programs for interop tests.</summary>
internal static class ExternalTool
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish");
        }
        string output = await stdout, errors = await stderr;
        if (p.ExitCode != 0) throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} exited {p.ExitCode}:\n{output}\n{errors}");
        return output;
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>Debian's docker-registry (distribution 2.8) on a loopback port with a temp root; stopped on dispose.</summary>
internal sealed class DistributionRegistry : IAsyncDisposable
{
    public const string Binary = "/usr/bin/docker-registry";
    private readonly Process _process;
    private readonly TempDir _dir;

    private DistributionRegistry(Process process, TempDir dir, int port)
    {
        _process = process;
        _dir = dir;
        HostPort = "127.0.0.1:" + port;
    }

    public string HostPort { get; }

    public static async Task<DistributionRegistry> StartAsync()
    {
        var dir = new TempDir("berth-distribution-peer-");
        int port = ExternalTool.FreePort();
        string config = dir.Sub("config.yml");
        File.WriteAllText(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {dir.Sub("data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{port}
            """);
        var psi = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var self = new DistributionRegistry(p, dir, port);
        using var http = new HttpClient();
        for (int i = 0; i < 100; i++)
        {
            if (p.HasExited) break;
            try
            {
                using var res = await http.GetAsync($"http://{self.HostPort}/v2/");
                if (res.IsSuccessStatusCode) return self;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        await self.DisposeAsync();
        throw new InvalidOperationException($"{Binary} did not come up on {self.HostPort}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        _dir.Dispose();
    }
}
