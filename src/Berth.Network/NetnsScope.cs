using System.Runtime.ExceptionServices;
using Berth.Core;
using Berth.Network.Native;

namespace Berth.Network;

/// <summary>Runs code inside another network namespace on a throw-away thread (the network namespace is per thread).</summary>
/// <remarks>The thread calls setns(CLONE_NEWNET) and then exits, so no pooled thread is ever left in a foreign namespace.
/// Sockets opened inside the body stay bound to that namespace after it returns.</remarks>
public static class NetnsScope
{
    public static void Run(string netnsPath, Action body) => Run<object?>(netnsPath, () =>
    {
        body();
        return null;
    });

    public static T Run<T>(string netnsPath, Func<T> body)
    {
        var fd = Libc.open(netnsPath, Libc.O_RDONLY | Libc.O_CLOEXEC);
        if (fd < 0) throw new BerthException(
            Errno.Last == Errno.ENOENT ? ErrorKind.NotFound : ErrorKind.Internal,
            $"open network namespace {netnsPath}: {Errno.DescribeLast()}");
        try
        {
            T result = default!;
            ExceptionDispatchInfo? failure = null;
            var thread = new Thread(() =>
            {
                try
                {
                    if (Libc.setns(fd, Libc.CLONE_NEWNET) != 0)
                        throw BerthException.Internal($"setns {netnsPath} CLONE_NEWNET: {Errno.DescribeLast()}");
                    result = body();
                }
                catch (Exception e)
                {
                    failure = ExceptionDispatchInfo.Capture(e);
                }
            }, 256 * 1024) { IsBackground = true, Name = "berth-netns" };
            thread.Start();
            thread.Join();
            failure?.Throw();
            return result;
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
