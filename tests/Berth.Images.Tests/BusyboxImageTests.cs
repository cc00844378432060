using System.Diagnostics;
using Berth.Core;

namespace Berth.Images.Tests;

[Trait("Category", "Root")]
public class BusyboxImageTests
{
    [Fact]
    public void Bootstrap_is_deterministic_and_runs()
    {
        if (!File.Exists("/bin/busybox"))
        {
            Console.WriteLine("SKIP Bootstrap_is_deterministic_and_runs: /bin/busybox absent (apt-get install busybox-static)");
            return;
        }
        using var a = new StoreFixture();
        using var b = new StoreFixture();
        var one = BusyboxImage.Bootstrap(a.Images);
        var two = BusyboxImage.Bootstrap(b.Images);
        Assert.Equal(one.Id, two.Id);
        Assert.Equal(one.ManifestDigest, two.ManifestDigest);
        Assert.Equal(new[] { "busybox:latest" }, one.RepoTags);
        Assert.Equal(new[] { "sh" }, one.Config.Config!.Cmd);
        Assert.Contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", one.Config.Config.Env!);
        var history = a.Images.History("busybox");
        Assert.Equal(2, history.Count);
        Assert.Equal("/bin/sh -c #(nop)  CMD [\"sh\"]", history[0].CreatedBy);
        Assert.Equal(0, history[0].Size);
        Assert.StartsWith("/bin/sh -c #(nop) ADD file:", history[1].CreatedBy);
        Assert.True(history[1].Size > 500_000);

        string fs = a.Images.LowerDirs(one)[0];
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(fs, "bin/sh")).LinkTarget);
        Assert.Contains("nobody:x:65534:65534:", File.ReadAllText(Path.Combine(fs, "etc/passwd")));
        Assert.True(Berth.Storage.Native.LibC.TryLstat(Path.Combine(fs, "tmp"), out var tmpSt));
        Assert.Equal(0x43ffu, (uint)tmpSt.Mode);
        var psi = new ProcessStartInfo("chroot", [fs, "/bin/sh", "-c", "echo hello from $(id -un); ls /usr/bin/awk"]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.Contains("hello from root", output);
    }

    [Fact]
    public void Dynamic_busybox_is_refused_with_a_clear_message()
    {
        using var f = new StoreFixture();
        var ex = Assert.Throws<BerthException>(() => BusyboxImage.Bootstrap(f.Images, "/bin/ls"));
        Assert.Equal(ErrorKind.FailedPrecondition, ex.Kind);
        Assert.Contains("/bin/ls is dynamically linked", ex.Message);
        ex = Assert.Throws<BerthException>(() => BusyboxImage.Bootstrap(f.Images, "/etc/hostname"));
        Assert.Contains("not an ELF", ex.Message);
        ex = Assert.Throws<BerthException>(() => BusyboxImage.Bootstrap(f.Images, "/nonexistent/busybox"));
        Assert.Contains("busybox not found at /nonexistent/busybox", ex.Message);
        Assert.Empty(f.Images.List());
    }
}
