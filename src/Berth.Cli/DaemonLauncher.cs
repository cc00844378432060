using System.Net.Sockets;
using System.Runtime.InteropServices;
using Berth.Cli.Terminal;
using Berth.Client;

namespace Berth.Cli;

/// <summary>Starts `berth daemon` in its own session when the default socket does not answer, then waits for the socket.</summary>
public static class DaemonLauncher
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    /// <summary>True when the daemon was started and its socket accepts connections.</summary>
    public static async Task<bool> StartAsync(EngineEndpoint endpoint, TextWriter stderr, CancellationToken ct)
    {
        string? self = Environment.ProcessPath;
        // Only the berth binary can start itself; a test host or `dotnet berth.dll` cannot.
        if (self == null || Path.GetFileNameWithoutExtension(self) == "dotnet" || !endpoint.IsUnix) return false;
        var paths = Berth.Core.BerthPaths.Default;
        string log = Path.Combine(paths.RunDir, "berth-daemon.log");
        try
        {
            Directory.CreateDirectory(paths.RunDir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"berth: cannot start the daemon: create {paths.RunDir}: {e.Message}");
            return false;
        }
        stderr.WriteLine("berth: starting the Berth daemon (berth daemon) …");
        int err = Spawn(self, new[] { self, "daemon" }, log);
        if (err != 0)
        {
            stderr.WriteLine($"berth: cannot start the daemon: posix_spawn {self}: {Marshal.GetPInvokeErrorMessage(err)} ({err})");
            return false;
        }
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(endpoint.Address, ct).ConfigureAwait(false);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
        stderr.WriteLine($"berth: the daemon did not open {endpoint.Url} within {StartTimeout.TotalSeconds:0} s; see {log}");
        return false;
    }

    private static unsafe int Spawn(string path, string[] argv, string logFile)
    {
        byte* attr = stackalloc byte[1024];
        byte* actions = stackalloc byte[1024];
        var env = Environment.GetEnvironmentVariables();
        var strings = new List<nint>();
        try
        {
            Libc.posix_spawnattr_init(attr);
            Libc.posix_spawnattr_setflags(attr, Libc.POSIX_SPAWN_SETSID);
            Libc.posix_spawn_file_actions_init(actions);
            Libc.posix_spawn_file_actions_addopen(actions, 0, "/dev/null", Libc.O_RDONLY, 0);
            Libc.posix_spawn_file_actions_addopen(actions, 1, logFile, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 0x1a0); // 0640
            Libc.posix_spawn_file_actions_addopen(actions, 2, logFile, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, 0x1a0);
            nint* args = stackalloc nint[argv.Length + 1];
            for (int i = 0; i < argv.Length; i++) strings.Add(args[i] = Marshal.StringToCoTaskMemUTF8(argv[i]));
            args[argv.Length] = 0;
            var envList = new List<string>();
            foreach (System.Collections.DictionaryEntry e in env) envList.Add(e.Key + "=" + e.Value);
            nint* envp = stackalloc nint[envList.Count + 1];
            for (int i = 0; i < envList.Count; i++) strings.Add(envp[i] = Marshal.StringToCoTaskMemUTF8(envList[i]));
            envp[envList.Count] = 0;
            return Libc.posix_spawn(out _, path, actions, attr, args, envp);
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attr);
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
        }
    }
}
