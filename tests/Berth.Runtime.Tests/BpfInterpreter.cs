using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>Runs a classic BPF seccomp program over a fake seccomp_data, to test compiled profiles without loading them.</summary>
public static class BpfInterpreter
{
    public static uint Run(BpfInstruction[] prog, int nr, ulong arg0 = 0, uint arch = 0xC000003E)
    {
        var data = new byte[64];
        BitConverter.GetBytes(nr).CopyTo(data, 0);
        BitConverter.GetBytes(arch).CopyTo(data, 4);
        BitConverter.GetBytes(arg0).CopyTo(data, 16);
        uint a = 0;
        for (var pc = 0; pc < prog.Length; pc++)
        {
            var i = prog[pc];
            switch (i.Code)
            {
                case BpfInstruction.LdAbsW: a = BitConverter.ToUInt32(data, (int)i.K); break;
                case BpfInstruction.AndK: a &= i.K; break;
                case BpfInstruction.RetK: return i.K;
                case BpfInstruction.JeqK: pc += a == i.K ? i.Jt : i.Jf; break;
                case BpfInstruction.JgtK: pc += a > i.K ? i.Jt : i.Jf; break;
                case BpfInstruction.JgeK: pc += a >= i.K ? i.Jt : i.Jf; break;
                default: throw new InvalidOperationException($"unknown BPF code {i.Code:x} at {pc}");
            }
        }
        throw new InvalidOperationException("program fell off the end");
    }
}
