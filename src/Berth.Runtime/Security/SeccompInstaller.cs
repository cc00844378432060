using Berth.Runtime.Init;
using Berth.Runtime.Native;

namespace Berth.Runtime.Security;

/// <summary>Compiles Docker's default seccomp profile for the given capabilities and loads it on the calling thread (no TSYNC).</summary>
internal static unsafe class SeccompInstaller
{
    private const int SECCOMP_SET_MODE_FILTER = 1;

    public static void InstallDefault(IReadOnlyCollection<string> capabilities)
    {
        var program = SeccompCompiler.Compile(SeccompProfile.Default(), capabilities, Environment.OSVersion.Version);
        fixed (BpfInstruction* filter = program)
        {
            // struct sock_fprog { unsigned short len; struct sock_filter *filter; } — the pointer sits at offset 8.
            var fprog = stackalloc long[2];
            fprog[0] = program.Length;
            fprog[1] = (long)filter;
            if (Libc.syscall(LinuxConstants.SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, (long)fprog, 0, 0) != 0)
                throw SetupException.Errno("load seccomp filter", Errno.Last);
        }
    }
}
