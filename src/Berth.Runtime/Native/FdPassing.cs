using System.Runtime.InteropServices;

namespace Berth.Runtime.Native;

/// <summary>One datagram with file descriptors attached (SCM_RIGHTS) over a unix seqpacket socket pair.</summary>
internal static unsafe partial class FdPassing
{
    private const int AF_UNIX = 1;
    private const int SOCK_SEQPACKET = 5;
    private const int SOL_SOCKET = 1;
    private const int SCM_RIGHTS = 1;
    private const int MaxFds = 8;
    private const int CmsgHeader = 16; // cmsg_len (size_t), cmsg_level, cmsg_type

    [StructLayout(LayoutKind.Sequential)]
    private struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendmsg(int fd, MsgHdr* msg, int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint recvmsg(int fd, MsgHdr* msg, int flags);

    /// <summary>A close-on-exec seqpacket pair; returns false with errno set on failure.</summary>
    public static bool Pair(out int a, out int b)
    {
        int* fds = stackalloc int[2];
        bool ok = socketpair(AF_UNIX, SOCK_SEQPACKET | LinuxConstants.O_CLOEXEC, 0, fds) == 0;
        a = ok ? fds[0] : -1;
        b = ok ? fds[1] : -1;
        return ok;
    }

    /// <summary>Sends <paramref name="data"/> (not empty) with <paramref name="fds"/> attached; false when the peer is gone.</summary>
    public static bool Send(int socket, ReadOnlySpan<byte> data, ReadOnlySpan<int> fds)
    {
        if (data.IsEmpty || fds.Length > MaxFds)
            throw new ArgumentException("one to 4096 bytes and at most 8 fds");
        int controlLength = CmsgHeader + Align(fds.Length * sizeof(int));
        byte* control = stackalloc byte[controlLength];
        new Span<byte>(control, controlLength).Clear();
        *(nuint*)control = (nuint)(CmsgHeader + fds.Length * sizeof(int));
        ((int*)control)[2] = SOL_SOCKET;
        ((int*)control)[3] = SCM_RIGHTS;
        fds.CopyTo(new Span<int>(control + CmsgHeader, fds.Length));
        fixed (byte* p = data)
        {
            var iov = new IoVec { Base = p, Length = (nuint)data.Length };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = fds.IsEmpty ? null : control, ControlLength = fds.IsEmpty ? 0 : (nuint)controlLength };
            nint n;
            do
                n = sendmsg(socket, &msg, 0x4000 /* MSG_NOSIGNAL */);
            while (n < 0 && Errno.Last == LinuxConstants.EINTR);
            return n == data.Length;
        }
    }

    /// <summary>Receives one datagram; null at end of file (the peer closed) or on error. Received fds are close-on-exec.</summary>
    public static (byte[] Data, int[] Fds)? Receive(int socket, int maxData)
    {
        var buffer = new byte[maxData];
        int controlLength = CmsgHeader + Align(MaxFds * sizeof(int));
        byte* control = stackalloc byte[controlLength];
        fixed (byte* p = buffer)
        {
            var iov = new IoVec { Base = p, Length = (nuint)maxData };
            var msg = new MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)controlLength };
            nint n;
            do
                n = recvmsg(socket, &msg, 0x40000000 /* MSG_CMSG_CLOEXEC */);
            while (n < 0 && Errno.Last == LinuxConstants.EINTR);
            if (n <= 0)
                return null;
            var fds = new List<int>();
            if (msg.ControlLength >= CmsgHeader && ((int*)control)[2] == SOL_SOCKET && ((int*)control)[3] == SCM_RIGHTS)
            {
                int count = ((int)*(nuint*)control - CmsgHeader) / sizeof(int);
                for (int i = 0; i < count && i < MaxFds; i++)
                    fds.Add(((int*)(control + CmsgHeader))[i]);
            }
            if ((msg.Flags & 0x20 /* MSG_TRUNC */) != 0 || (msg.Flags & 0x08 /* MSG_CTRUNC */) != 0)
            {
                foreach (int fd in fds)
                    Libc.close(fd);
                return null;
            }
            return (buffer[..(int)n], fds.ToArray());
        }
    }

    private static int Align(int n) => (n + 7) & ~7;
}
