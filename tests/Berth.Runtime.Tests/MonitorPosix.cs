using System.Runtime.InteropServices;

namespace Berth.Runtime.Tests;

/// <summary>The few libc calls the monitor tests use to inspect and clean up processes.</summary>
internal static partial class MonitorPosix
{
    [LibraryImport("libc", SetLastError = true)]
    public static partial int kill(int pid, int sig);

    [LibraryImport("libc")]
    public static partial int getpid();
}
