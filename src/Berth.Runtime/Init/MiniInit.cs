using System.Runtime.InteropServices;
using Berth.Runtime.Launch;
using Berth.Runtime.Native;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Init;

/// <summary>--init: stays pid 1, runs the command as its child, forwards signals to it and reaps every zombie.</summary>
internal static unsafe class MiniInit
{
    private static readonly int[] Forwarded = [1, 2, 3, 10, 12, 15, 28]; // HUP INT QUIT USR1 USR2 TERM WINCH

    public static int Run(ContainerSpec spec)
    {
        var process = spec.Process;
        var path = ExecutableLookup.Find(process.Args[0], process.Env);
        var child = 0;
        var pending = 0;
        // Handlers go in before the spawn and before the launcher hears back, so no early signal is lost.
        var registrations = Forwarded
            .Select(sig => PosixSignalRegistration.Create((PosixSignal)sig, ctx =>
            {
                ctx.Cancel = true;
                var target = Volatile.Read(ref child);
                if (target > 0)
                    Libc.kill(target, sig);
                else
                    Volatile.Write(ref pending, sig);
            }))
            .ToList();
        Exception? failure = null;
        // The credentials, capabilities, no_new_privs and seccomp filter are per thread and the child inherits the
        // spawning thread's, so pid 1 itself keeps its privileges for reaping and signalling.
        var spawner = new Thread(() =>
        {
            try
            {
                ProcessExec.DropPrivileges(process, InitMode.UseSeccomp(spec));
                var pid = Spawner.Spawn(path, process.Args, process.Env, [], newSession: false);
                if (pid < 0)
                    throw ProcessExec.ExecFailure(process.Args[0], path, -pid);
                Volatile.Write(ref child, pid);
            }
            catch (Exception e)
            {
                failure = e;
            }
        }, 256 * 1024);
        spawner.Start();
        spawner.Join();
        if (failure != null)
        {
            foreach (var r in registrations)
                r.Dispose();
            throw failure is SetupException ? failure : new SetupException(125, failure.Message);
        }
        if (Volatile.Read(ref pending) is var early and > 0)
            Libc.kill(child, early);
        Libc.close(StatusPipe.ChildStatusFd);

        try
        {
            return ReapUntil(child);
        }
        finally
        {
            foreach (var r in registrations)
                r.Dispose();
        }
    }

    private static int ReapUntil(int child)
    {
        int status;
        while (true)
        {
            var pid = Libc.waitpid(-1, &status, 0);
            if (pid == child)
                return ProcessExit.FromStatus(status);
            if (pid < 0 && Errno.Last != LinuxConstants.EINTR)
                return 125;
        }
    }
}
