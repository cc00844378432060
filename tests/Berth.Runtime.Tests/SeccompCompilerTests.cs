using Berth.Core;
using Berth.Runtime.Security;

namespace Berth.Runtime.Tests;

/// <summary>The compiled default profile, checked by running the BPF program in a small interpreter.</summary>
public class SeccompCompilerTests
{
    private const uint Allow = 0x7fff0000;
    private const uint Eperm = 0x00050001;
    private static readonly Version Kernel = new(6, 1);

    private static BpfInstruction[] DefaultFor(params string[] caps) =>
        SeccompCompiler.Compile(SeccompProfile.Default(), caps.Length == 0 ? Capabilities.DockerDefault.ToList() : caps, Kernel);

    [Fact]
    public void Common_syscalls_are_allowed_and_dangerous_ones_refused()
    {
        var prog = DefaultFor();
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 0));    // read
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 59));   // execve
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 165));  // mount
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 246));  // kexec_load
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 272));  // unshare
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 1000)); // unknown
    }

    [Fact]
    public void Clone_is_allowed_without_namespace_flags_only()
    {
        var prog = DefaultFor();
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 56, arg0: 0x01200011)); // fork-like flags
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 56, arg0: 0x20000000)); // CLONE_NEWPID
        Assert.Equal(0x00050000u | 38, BpfInterpreter.Run(prog, nr: 435));       // clone3 → ENOSYS
    }

    [Fact]
    public void Cap_sys_admin_unlocks_its_syscalls()
    {
        var prog = DefaultFor([.. Capabilities.DockerDefault, "CAP_SYS_ADMIN"]);
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 165));
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 56, arg0: 0x20000000));
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 435));
    }

    [Fact]
    public void Argument_comparisons_follow_the_profile()
    {
        var prog = DefaultFor();
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 41, arg0: 2));       // socket(AF_INET)
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 41, arg0: 40));      // socket(AF_VSOCK)
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 41, arg0: 41));
        Assert.Equal(Allow, BpfInterpreter.Run(prog, nr: 135, arg0: 0xffffffff)); // personality query
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 135, arg0: 0x0040000));  // personality(ADDR_NO_RANDOMIZE)
    }

    [Fact]
    public void Other_architectures_and_x32_get_the_default_action()
    {
        var prog = DefaultFor();
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 0, arch: 0x40000003));         // i386
        Assert.Equal(Eperm, BpfInterpreter.Run(prog, nr: 0x40000000 | 0));              // x32 read
    }

    [Fact]
    public void Unknown_actions_and_ops_are_named()
    {
        var profile = new SeccompProfile { Syscalls = [new SeccompRule { Names = ["read"], Action = "SCMP_ACT_DANCE" }] };
        var e = Assert.Throws<BerthException>(() => SeccompCompiler.Compile(profile, [], Kernel));
        Assert.Contains("SCMP_ACT_DANCE", e.Message);
        profile.Syscalls[0] = new SeccompRule { Names = ["read"], Action = "SCMP_ACT_ALLOW", Args = [new SeccompArg { Op = "SCMP_CMP_FUZZY" }] };
        e = Assert.Throws<BerthException>(() => SeccompCompiler.Compile(profile, [], Kernel));
        Assert.Contains("SCMP_CMP_FUZZY", e.Message);
    }
}
