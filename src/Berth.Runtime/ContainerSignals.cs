using Berth.Core;
using Berth.Runtime.Native;

namespace Berth.Runtime;

/// <summary>Signal names and numbers, and sending signals to a container's process.</summary>
public static class ContainerSignals
{
    private static readonly Dictionary<string, int> ByName = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1, ["INT"] = 2, ["QUIT"] = 3, ["ILL"] = 4, ["TRAP"] = 5, ["ABRT"] = 6, ["IOT"] = 6, ["BUS"] = 7,
        ["FPE"] = 8, ["KILL"] = 9, ["USR1"] = 10, ["SEGV"] = 11, ["USR2"] = 12, ["PIPE"] = 13, ["ALRM"] = 14,
        ["TERM"] = 15, ["STKFLT"] = 16, ["CHLD"] = 17, ["CLD"] = 17, ["CONT"] = 18, ["STOP"] = 19, ["TSTP"] = 20,
        ["TTIN"] = 21, ["TTOU"] = 22, ["URG"] = 23, ["XCPU"] = 24, ["XFSZ"] = 25, ["VTALRM"] = 26, ["PROF"] = 27,
        ["WINCH"] = 28, ["IO"] = 29, ["POLL"] = 29, ["PWR"] = 30, ["SYS"] = 31,
    };

    /// <summary>Parses "SIGTERM", "TERM", "term", "15", "SIGRTMIN+3" to a signal number.</summary>
    public static int Parse(string signal)
    {
        var s = signal.Trim().ToUpperInvariant();
        if (int.TryParse(s, out var n))
            return n is >= 1 and <= 64 ? n : throw BerthException.Invalid($"invalid signal: \"{signal}\"");
        if (s.StartsWith("SIG", StringComparison.Ordinal))
            s = s[3..];
        if (ByName.TryGetValue(s, out n))
            return n;
        if (s.StartsWith("RTMIN", StringComparison.Ordinal) && TryOffset(s[5..], out var up))
            return Check(34 + up, signal);
        if (s.StartsWith("RTMAX", StringComparison.Ordinal) && TryOffset(s[5..], out var down))
            return Check(64 + down, signal);
        throw BerthException.Invalid($"invalid signal: \"{signal}\"");
    }

    /// <summary>The conventional name of a signal number, e.g. 15 → "SIGTERM".</summary>
    public static string NameOf(int signal)
    {
        foreach (var (name, n) in ByName)
            if (n == signal)
                return "SIG" + name;
        return signal is >= 34 and <= 64 ? $"SIGRTMIN+{signal - 34}" : signal.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Sends a signal to a process; false when it no longer exists.</summary>
    public static bool Send(int pid, int signal)
    {
        if (pid <= 0)
            throw BerthException.Invalid($"invalid pid {pid}");
        if (Libc.kill(pid, signal) == 0)
            return true;
        var err = Errno.Last;
        if (err == LinuxConstants.ESRCH)
            return false;
        throw BerthException.Internal($"kill {pid} with {NameOf(signal)}: {Errno.Describe(err)}");
    }

    private static bool TryOffset(string rest, out int offset)
    {
        offset = 0;
        if (rest.Length == 0)
            return true;
        return (rest[0] == '+' || rest[0] == '-') && int.TryParse(rest, out offset);
    }

    private static int Check(int n, string original) =>
        n is >= 34 and <= 64 ? n : throw BerthException.Invalid($"invalid signal: \"{original}\"");
}
