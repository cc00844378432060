using Berth.Core;
using static Berth.Runtime.Security.BpfInstruction;

namespace Berth.Runtime.Security;

/// <summary>
/// Compiles a Docker-format seccomp profile to a classic BPF program for x86_64.
/// Simplifications (documented): only the native x86_64 ABI is allowed through — i386 and x32 system calls get the
/// default action; rules are matched first-to-last (libseccomp orders by priority, which agrees for Docker's profile
/// because its overlapping rules exclude each other by capability); unknown syscall names are skipped, as libseccomp does.
/// </summary>
public static class SeccompCompiler
{
    private const uint AuditArchX86_64 = 0xC000003E;
    private const uint X32SyscallBit = 0x40000000;
    private const int OffsetNr = 0;
    private const int OffsetArch = 4;
    private const int OffsetArgs = 16;

    /// <summary>Compiles <paramref name="profile"/> for a process holding <paramref name="capabilities"/> (its bounding set) on a kernel of <paramref name="kernel"/>.</summary>
    public static BpfInstruction[] Compile(SeccompProfile profile, IReadOnlyCollection<string> capabilities, Version kernel)
    {
        var caps = capabilities.Select(Capabilities.Normalize).ToHashSet();
        var defaultAction = Action(profile.DefaultAction, profile.DefaultErrnoRet);
        var asm = new Assembler();
        // Jumps reach at most 255 instructions ahead, so the early exits sit right after their tests.
        asm.Load(OffsetArch);
        var nativeArch = asm.NewLabel();
        asm.Jump(JeqK, AuditArchX86_64, nativeArch, Assembler.Next);
        asm.Return(defaultAction);
        asm.Mark(nativeArch);
        asm.Load(OffsetNr);
        var nativeAbi = asm.NewLabel();
        asm.Jump(JgeK, X32SyscallBit, Assembler.Next, nativeAbi);
        asm.Return(defaultAction);
        asm.Mark(nativeAbi);
        var accumulatorHoldsNr = true;
        foreach (var rule in profile.Syscalls)
        {
            if (!Applies(rule, caps, kernel))
                continue;
            var action = Action(rule.Action, rule.ErrnoRet ?? profile.DefaultErrnoRet);
            foreach (var name in rule.Names)
            {
                if (!SyscallTableX64.Numbers.TryGetValue(name, out var nr))
                    continue;
                if (!accumulatorHoldsNr)
                    asm.Load(OffsetNr);
                var end = asm.NewLabel();
                asm.Jump(JeqK, (uint)nr, Assembler.Next, end);
                foreach (var arg in rule.Args ?? [])
                    EmitCondition(asm, arg, end);
                asm.Return(action);
                asm.Mark(end);
                accumulatorHoldsNr = (rule.Args?.Count ?? 0) == 0;
            }
        }
        asm.Return(defaultAction);
        return asm.Build();
    }

    private static bool Applies(SeccompRule rule, HashSet<string> caps, Version kernel)
    {
        if (rule.Includes is { } inc)
        {
            if (inc.Caps is { Count: > 0 } && !inc.Caps.All(caps.Contains))
                return false;
            if (inc.Arches is { Count: > 0 } && !inc.Arches.Contains("amd64"))
                return false;
            if (inc.MinKernel is { } min && Version.TryParse(min.Contains('.') ? min : min + ".0", out var v) && kernel < v)
                return false;
        }
        if (rule.Excludes is { } exc)
        {
            if (exc.Caps is { Count: > 0 } && exc.Caps.Any(caps.Contains))
                return false;
            if (exc.Arches is { Count: > 0 } && exc.Arches.Contains("amd64"))
                return false;
        }
        return true;
    }

    /// <summary>The seccomp return value for a profile action name.</summary>
    public static uint Action(string action, uint? errno) => action switch
    {
        "SCMP_ACT_ALLOW" => 0x7fff0000,
        "SCMP_ACT_ERRNO" => 0x00050000 | ((errno ?? 1) & 0xffff),
        "SCMP_ACT_KILL" or "SCMP_ACT_KILL_THREAD" => 0x00000000,
        "SCMP_ACT_KILL_PROCESS" => 0x80000000,
        "SCMP_ACT_TRAP" => 0x00030000,
        "SCMP_ACT_TRACE" => 0x7ff00000 | ((errno ?? 0) & 0xffff),
        "SCMP_ACT_LOG" => 0x7ffc0000,
        _ => throw BerthException.Invalid($"unknown seccomp action \"{action}\""),
    };

    // 64-bit comparisons are built from the argument's high and low 32-bit words (little-endian: low first).
    private static void EmitCondition(Assembler asm, SeccompArg arg, int fail)
    {
        if (arg.Index is < 0 or > 5)
            throw BerthException.Invalid($"seccomp argument index {arg.Index} out of range");
        var lo = OffsetArgs + 8 * arg.Index;
        var hi = lo + 4;
        var vHi = (uint)(arg.Value >> 32);
        var vLo = (uint)arg.Value;
        var pass = asm.NewLabel();
        switch (arg.Op)
        {
            case "SCMP_CMP_EQ":
                asm.Load(hi);
                asm.Jump(JeqK, vHi, Assembler.Next, fail);
                asm.Load(lo);
                asm.Jump(JeqK, vLo, Assembler.Next, fail);
                break;
            case "SCMP_CMP_NE":
                asm.Load(hi);
                asm.Jump(JeqK, vHi, Assembler.Next, pass);
                asm.Load(lo);
                asm.Jump(JeqK, vLo, fail, Assembler.Next);
                break;
            case "SCMP_CMP_MASKED_EQ":
                asm.Load(hi);
                asm.Emit(new BpfInstruction(AndK, 0, 0, vHi));
                asm.Jump(JeqK, (uint)(arg.ValueTwo >> 32), Assembler.Next, fail);
                asm.Load(lo);
                asm.Emit(new BpfInstruction(AndK, 0, 0, vLo));
                asm.Jump(JeqK, (uint)arg.ValueTwo, Assembler.Next, fail);
                break;
            case "SCMP_CMP_GT" or "SCMP_CMP_GE":
                asm.Load(hi);
                asm.Jump(JgtK, vHi, pass, Assembler.Next);
                asm.Jump(JeqK, vHi, Assembler.Next, fail);
                asm.Load(lo);
                asm.Jump(arg.Op == "SCMP_CMP_GT" ? JgtK : JgeK, vLo, Assembler.Next, fail);
                break;
            case "SCMP_CMP_LT" or "SCMP_CMP_LE":
                asm.Load(hi);
                asm.Jump(JgeK, vHi, Assembler.Next, pass);
                asm.Jump(JeqK, vHi, Assembler.Next, fail);
                asm.Load(lo);
                // LT: lo >= v fails; LE: lo > v fails.
                asm.Jump(arg.Op == "SCMP_CMP_LT" ? JgeK : JgtK, vLo, fail, Assembler.Next);
                break;
            default:
                throw BerthException.Invalid($"unsupported seccomp comparison \"{arg.Op}\"");
        }
        asm.Mark(pass);
    }
}
