using System.Runtime.InteropServices;

namespace Berth.Runtime.Security;

/// <summary>One classic BPF instruction (struct sock_filter).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly record struct BpfInstruction(ushort Code, byte Jt, byte Jf, uint K)
{
    public const ushort LdAbsW = 0x20;
    public const ushort JeqK = 0x15;
    public const ushort JgtK = 0x25;
    public const ushort JgeK = 0x35;
    public const ushort AndK = 0x54;
    public const ushort RetK = 0x06;
}
