using System.Text.Json;
using Berth.Runtime.Init;
using Berth.Runtime.Launch;
using Berth.Runtime.Native;
using static Berth.Runtime.Native.LinuxConstants;

namespace Berth.Runtime.Exec;

/// <summary>"berth __exec &lt;pid&gt; &lt;request.json&gt;": already in the container's pid namespace; enters its mount namespace, drops privileges and execs.</summary>
public static class ExecInitMode
{
    public static int Run(string[] args)
    {
        try
        {
            if (args.Length < 2)
                throw new SetupException(125, "usage: berth __exec <container-pid> <request.json>");
            StatusPipe.AwaitGoAhead();
            AssemblyPreload.LoadAll();
            var request = JsonSerializer.Deserialize(File.ReadAllBytes(args[1]), ExecJson.Default.ExecRequest)
                ?? throw new SetupException(125, $"read {args[1]}: empty request");
            // setns(CLONE_NEWNS) needs a thread that does not share its fs_struct with the runtime's other threads.
            if (Libc.unshare(CLONE_FS) != 0)
                throw SetupException.Errno("unshare(CLONE_FS)", Errno.Last);
            var mnt = $"/proc/{args[0]}/ns/mnt";
            var fd = Libc.open(mnt, O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0)
                throw SetupException.Errno($"open {mnt}", Errno.Last);
            if (Libc.setns(fd, CLONE_NEWNS) != 0)
                throw SetupException.Errno($"setns {mnt}", Errno.Last);
            Libc.close(fd);
            Sys.Chdir("/");
            if (request.Process.Terminal)
                ControllingTerminal.Take();
            ProcessExec.Prepare(request.Process);
            ProcessExec.Exec(request.Process, request.Container.Seccomp && !request.Container.Privileged);
            return 125;
        }
        catch (SetupException e)
        {
            StatusPipe.Report(e.ExitCode, e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            StatusPipe.Report(125, e.Message);
            return 125;
        }
    }
}
