using System.Runtime.ExceptionServices;
using Berth.Core;
using Berth.Network.Native;

namespace Berth.Network;

/// <summary>Creates and removes persistent network namespaces bind-mounted on a file, like `ip netns add` without the process.</summary>
public static class NetworkNamespaceFile
{
    /// <summary>Creates a fresh network namespace pinned at <paramref name="path"/> (an empty file is created there).</summary>
    public static void Create(string path)
    {
        using (File.Create(path)) { }
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                if (Libc.unshare(Libc.CLONE_NEWNET) != 0)
                    throw BerthException.Internal($"unshare CLONE_NEWNET for {path}: {Errno.DescribeLast()}");
                // /proc/thread-self names this thread, the only one inside the new namespace.
                if (Libc.mount("/proc/thread-self/ns/net", path, null, Libc.MS_BIND, null) != 0)
                    throw BerthException.Internal($"bind mount network namespace on {path}: {Errno.DescribeLast()}");
            }
            catch (Exception e)
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
        }, 256 * 1024) { IsBackground = true, Name = "berth-netns-create" };
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            File.Delete(path);
            failure.Throw();
        }
    }

    /// <summary>Unmounts and deletes the namespace file; the namespace dies once no process or socket holds it.</summary>
    public static void Delete(string path)
    {
        if (Libc.umount2(path, Libc.MNT_DETACH) != 0 && Errno.Last is not (22 or Errno.ENOENT))
            throw BerthException.Internal($"umount network namespace {path}: {Errno.DescribeLast()}");
        File.Delete(path);
    }
}
