using Berth.Core;

namespace Berth.Runtime.Security;

/// <summary>Builds a BPF program with symbolic forward jumps, resolved to 8-bit offsets at the end.</summary>
internal sealed class Assembler
{
    /// <summary>A jump target meaning "the next instruction".</summary>
    public const int Next = -1;

    private readonly List<(BpfInstruction Insn, int Jt, int Jf)> _code = new();
    private readonly List<int> _labels = new();

    public int NewLabel()
    {
        _labels.Add(-1);
        return _labels.Count - 1;
    }

    public void Mark(int label) => _labels[label] = _code.Count;

    public void Emit(BpfInstruction insn) => _code.Add((insn, Next, Next));

    public void Load(int offset) => Emit(new BpfInstruction(BpfInstruction.LdAbsW, 0, 0, (uint)offset));

    public void Return(uint value) => Emit(new BpfInstruction(BpfInstruction.RetK, 0, 0, value));

    public void Jump(ushort code, uint k, int jt, int jf) => _code.Add((new BpfInstruction(code, 0, 0, k), jt, jf));

    public BpfInstruction[] Build()
    {
        if (_code.Count > 4096)
            throw BerthException.Invalid($"seccomp program too long: {_code.Count} instructions (max 4096)");
        var result = new BpfInstruction[_code.Count];
        for (var i = 0; i < _code.Count; i++)
        {
            var (insn, jt, jf) = _code[i];
            result[i] = insn with { Jt = Offset(i, jt), Jf = Offset(i, jf) };
        }
        return result;
    }

    private byte Offset(int at, int label)
    {
        if (label == Next)
            return 0;
        var target = _labels[label];
        var offset = target - at - 1;
        if (target < 0 || offset < 0 || offset > 255)
            throw BerthException.Internal($"seccomp jump from {at} to label {label} is out of range ({offset})");
        return (byte)offset;
    }
}
