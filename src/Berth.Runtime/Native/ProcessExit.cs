using Berth.Core;

namespace Berth.Runtime.Native;

/// <summary>waitpid and the conversion of a wait status to Docker's exit code.</summary>
public static unsafe class ProcessExit
{
    /// <summary>Blocks until <paramref name="pid"/> (a child of this process) exits; returns its exit code, 128+n for signal n.</summary>
    public static int Wait(int pid)
    {
        int status;
        while (true)
        {
            var rc = Libc.waitpid(pid, &status, 0);
            if (rc == pid)
                return FromStatus(status);
            var err = Errno.Last;
            if (rc < 0 && err != LinuxConstants.EINTR)
                throw BerthException.Internal($"waitpid {pid}: {Errno.Describe(err)}");
        }
    }

    /// <summary>Exit code from a raw wait status: the exit status, or 128+signal.</summary>
    public static int FromStatus(int status)
    {
        var sig = status & 0x7f;
        return sig == 0 ? (status >> 8) & 0xff : 128 + sig;
    }
}
