using Berth.Runtime.Terminal;

namespace Berth.Runtime.Tests;

/// <summary>The pty and termios helpers the monitor and the CLI use.</summary>
public unsafe class MonitorTerminalTests
{
    [Fact]
    public void PtyOpensWithTheRequestedWindowSizeAndResizes()
    {
        using var pty = Pty.Open(24, 80);
        Assert.StartsWith("/dev/pts/", pty.SlavePath);
        Assert.True(TerminalSize.TryGet(pty.SlaveFd, out ushort rows, out ushort columns));
        Assert.Equal((24, 80), (rows, columns));
        TerminalSize.Set(pty.MasterFd, 50, 132);
        Assert.True(TerminalSize.TryGet(pty.SlaveFd, out rows, out columns));
        Assert.Equal((50, 132), (rows, columns));
        Assert.True(RawTerminal.IsTerminal(pty.SlaveFd));
    }

    [Fact]
    public void RawTerminalChangesTheModeAndRestoresItExactly()
    {
        using var pty = Pty.Open(0, 0);
        byte[] before = Termios(pty.SlaveFd);
        using (RawTerminal.Enter(pty.SlaveFd))
            Assert.NotEqual(before, Termios(pty.SlaveFd));
        Assert.Equal(before, Termios(pty.SlaveFd));
    }

    [Fact]
    public void NonTerminalsAreRefusedWithTheFdNamed()
    {
        using var file = File.OpenHandle("/dev/null");
        int fd = (int)file.DangerousGetHandle();
        Assert.False(RawTerminal.IsTerminal(fd));
        Assert.False(TerminalSize.TryGet(fd, out _, out _));
        var e = Assert.Throws<Berth.Core.BerthException>(() => RawTerminal.Enter(fd));
        Assert.Contains($"fd {fd}", e.Message);
    }

    private static byte[] Termios(int fd)
    {
        // The first 60 bytes are glibc's struct termios; the rest of the opaque buffer is never written.
        var buf = new byte[TerminalSyscalls.TermiosSize];
        fixed (byte* p = buf)
            Assert.Equal(0, TerminalSyscalls.tcgetattr(fd, p));
        return buf[..60];
    }
}
