using System.Diagnostics;
using System.Net.Sockets;

namespace Berth.Integration.Tests;

/// <summary>A real berth daemon on its own temporary data root, run dir and socket; disposing removes everything it made.</summary>
public sealed class BerthDaemon : IDisposable
{
    private Process? _process;

    public BerthDaemon(IEnumerable<string>? extraArgs = null, string? binary = null)
    {
        ExtraArgs.AddRange(extraArgs ?? []);
        Binary = binary ?? LocateBinary();
        Root = Path.Combine(Path.GetTempPath(), "berth-it-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        DataRoot = Path.Combine(Root, "data");
        RunDir = Path.Combine(Root, "run");
        Socket = Path.Combine(RunDir, "berth.sock");
        CgroupParent = Path.GetFileName(Root); // its own parent cgroup, removed on dispose
        // Its own bridge, subnets and firewall table, so daemons of parallel tests (and a host's own berth) never meet.
        string tag = Path.GetFileName(Root)["berth-it-".Length..][..8];
        BridgeName = "bt" + tag;
        FirewallTable = "berth_it_" + tag;
        int third = TestNetworks.FreeThirdOctet();
        BridgeCidr = $"10.203.{third}.1/24";
        AddressPool = $"10.{205 + third % 3}.{third / 16 * 16}.0/20";
        Start();
    }

    public string Binary { get; }
    public string Root { get; }
    public string DataRoot { get; }
    public string RunDir { get; }
    public string Socket { get; }
    public string CgroupParent { get; }
    public string BridgeName { get; }
    public string BridgeCidr { get; }
    public string AddressPool { get; }
    public string FirewallTable { get; }

    /// <summary>Extra daemon flags a test asks for (e.g. --dns), kept across restarts.</summary>
    public List<string> ExtraArgs { get; } = new();
    public string Host => "unix://" + Socket;
    public int Pid => _process?.Id ?? 0;
    public string LogPath => Path.Combine(Root, "daemon.log");

    public void Start()
    {
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "daemon", "--data-root", DataRoot, "--exec-root", RunDir, "-H", Host, "--cgroup-parent", CgroupParent,
            "--bridge", BridgeName, "--bip", BridgeCidr, "--default-address-pool", $"base={AddressPool},size=24", "--firewall-table", FirewallTable }.Concat(ExtraArgs))
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        var log = File.AppendText(LogPath);
        log.AutoFlush = true;
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.WriteLine(e.Data); };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.WriteLine(e.Data); };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // until its output is all in the log
                throw new InvalidOperationException($"berth daemon exited with {_process.ExitCode}: {File.ReadAllText(LogPath)}");
            }
            if (File.Exists(Socket) && CanConnect()) return;
            Thread.Sleep(20);
        }
        throw new TimeoutException("berth daemon did not listen within 20 s: " + File.ReadAllText(LogPath));
    }

    private bool CanConnect()
    {
        try
        {
            using var s = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            s.Connect(new UnixDomainSocketEndPoint(Socket));
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>Kills the daemon with SIGKILL, as a crash would; containers keep running under their monitors.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            Posix.Kill(_process.Id, 15);
            if (!_process.WaitForExit(10_000)) _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>Runs the berth CLI against this daemon.</summary>
    public CommandResult Berth(params string[] args) => Run(Binary, args, null);

    public CommandResult BerthWithInput(string stdin, params string[] args) => Run(Binary, args, stdin);

    public CommandResult Run(string file, IEnumerable<string> args, string? stdin, int timeoutMs = 60_000)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOCKER_HOST"] = Host;
        psi.Environment["BERTH_HOST"] = Host;
        psi.Environment["DOCKER_CONFIG"] = Path.Combine(Root, "docker-config");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin != null) p.StandardInput.Write(stdin);
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }
        p.WaitForExit();
        return new CommandResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            if (_process is { HasExited: false })
            {
                foreach (var id in Berth("ps", "-aq", "--no-trunc").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Berth("rm", "-f", id.Trim());
                foreach (var net in Berth("network", "ls", "-q", "--filter", "type=custom").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    Berth("network", "rm", net.Trim());
            }
        }
        catch (Exception) { /* fall through to the hard cleanup */ }
        Stop();
        Cleanup.KillMonitorsUnder(RunDir);
        Cleanup.UnmountUnder(Root);
        Cleanup.RemoveCgroupParent(CgroupParent);
        Cleanup.RemoveNetworking(BridgeName, FirewallTable, RunDir);
        try { Directory.Delete(Root, true); } catch (Exception) { /* a mount we could not remove: reported by the next run */ }
    }

    internal static string LocateBinary()
    {
        string? env = Environment.GetEnvironmentVariable("BERTH_BINARY");
        if (!string.IsNullOrEmpty(env)) return env;
        string? repo = RepositoryRoot();
        string candidate = repo == null ? "" : Path.Combine(repo, "artifacts", "berth", "berth");
        if (!File.Exists(candidate))
            throw new InvalidOperationException("the published berth binary was not found: run scripts/setup first or set BERTH_BINARY");
        return candidate;
    }

    /// <summary>The checkout the tests run from (the directory above them that holds Berth.sln), or null outside one.</summary>
    internal static string? RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Berth.sln"))) dir = dir.Parent;
        return dir?.FullName;
    }
}

/// <summary>Exit code and output of one command.</summary>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}
