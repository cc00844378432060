using Berth.Runtime.Launch;
using Berth.Runtime.Terminal;
using Microsoft.Win32.SafeHandles;

namespace Berth.Runtime.Tests;

[Trait("Category", "Root")]
public class ContainerTerminalTests
{
    [Fact]
    public void A_terminal_container_gets_the_pty_as_console_and_controlling_tty()
    {
        using var c = new ContainerRun("sh", "-c", "[ -t 0 ] && echo isatty; [ -c /dev/console ] && echo console; : </dev/tty && echo ctty");
        c.Spec.Process.Terminal = true;
        InitHostBinary.Install();
        using var pty = Pty.Open(24, 80);
        var p = ContainerLauncher.Start(c.Spec, c.Rootfs.StateDir, pty.SlaveFd, pty.SlaveFd, pty.SlaveFd);
        pty.CloseSlave();
        var text = new System.Text.StringBuilder();
        using (var master = new FileStream(new SafeFileHandle(pty.MasterFd, ownsHandle: false), FileAccess.Read, 1))
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = master.Read(buffer)) > 0)
                    text.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
            }
            catch (IOException)
            {
                // EIO: the last slave fd closed when the container exited.
            }
        }
        Assert.Equal(0, p.WaitForExit());
        Assert.Equal("isatty\r\nconsole\r\nctty\r\n", text.ToString());
    }
}
