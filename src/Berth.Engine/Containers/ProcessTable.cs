using Berth.Core.EngineApi;

namespace Berth.Engine.Containers;

/// <summary>Reads processes from /proc into the columns of <c>ps -ef</c>.</summary>
public static class ProcessTable
{
    private const long TicksPerSecond = 100;

    public static ContainerTopResponse Read(IEnumerable<int> pids)
    {
        var res = new ContainerTopResponse { Titles = ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"] };
        var boot = BootTime();
        foreach (int pid in pids.Order())
        {
            try
            {
                string stat = File.ReadAllText($"/proc/{pid}/stat");
                int close = stat.LastIndexOf(')');
                string comm = stat[(stat.IndexOf('(') + 1)..close];
                var f = stat[(close + 2)..].Split(' ');
                // Fields after the command: state(0) ppid(1) ... tty_nr(4) ... utime(11) stime(12) ... starttime(19)
                int ppid = int.Parse(f[1]);
                long cpuTicks = long.Parse(f[11]) + long.Parse(f[12]);
                var started = boot.AddSeconds(long.Parse(f[19]) / (double)TicksPerSecond);
                string uid = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
                string cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
                var cpu = TimeSpan.FromSeconds(cpuTicks / (double)TicksPerSecond);
                res.Processes.Add([
                    uid == "0" ? "root" : uid,
                    pid.ToString(),
                    ppid.ToString(),
                    "0",
                    started.ToLocalTime().ToString("HH:mm"),
                    f[4] == "0" ? "?" : "pts/" + (int.Parse(f[4]) & 0xff),
                    $"{(int)cpu.TotalHours:00}:{cpu.Minutes:00}:{cpu.Seconds:00}",
                    cmdline.Length > 0 ? cmdline : "[" + comm + "]",
                ]);
            }
            catch (IOException) { /* exited while listing */ }
        }
        return res;
    }

    private static DateTimeOffset BootTime()
    {
        foreach (var line in File.ReadLines("/proc/stat"))
            if (line.StartsWith("btime ", StringComparison.Ordinal))
                return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line[6..]));
        return DateTimeOffset.UnixEpoch;
    }
}
