using System.Text;
using Berth.Runtime.Logging;
using Berth.Runtime.Security;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests;

/// <summary>The monitor with the production starter: a real container (busybox rootfs, namespaces), attach, and exec into it.</summary>
[Trait("Category", "Root")]
public class MonitorNamespacedTests
{
    [Fact]
    public async Task ContainerLogsItsOutputAndExecJoinsIt()
    {
        using var rootfs = new BusyboxRootfs();
        using var c = MonitorTestContainer.Start(["sh", "-c", "hostname; read x; echo bye; echo oops >&2; exit 3"],
            cfg => { cfg.Starter = "namespaced"; cfg.OpenStdin = true; },
            spec =>
            {
                spec.Hostname = "monprobe";
                spec.Rootfs = new RootfsSpec { Path = rootfs.Root };
                spec.Process.Env = ["PATH=/bin", "HOME=/"];
                spec.Process.Cwd = "/";
                spec.Process.Capabilities = [.. Capabilities.DockerDefault];
            });
        var exec = new ProcessSpec { Args = ["hostname"], Env = ["PATH=/bin"], Cwd = "/", Capabilities = [.. Capabilities.DockerDefault] };
        await using (var stream = await c.Client.ExecAsync("x1", exec, tty: false, stdin: false, stdout: true, stderr: true, ct: MonitorTestContainer.Guard()))
        {
            var (stdout, stderr) = await MonitorTestContainer.ReadFramesToEnd(stream);
            Assert.Equal("monprobe\n", stdout);
            Assert.Equal("", stderr);
        }
        Assert.Equal(0, (await c.Client.ExecInspectAsync("x1", MonitorTestContainer.Guard())).ExitCode);
        await using (var attach = await c.Client.AttachAsync(true, true, true, ct: MonitorTestContainer.Guard()))
        {
            await attach.WriteAsync("\n"u8.ToArray());
            var (stdout, stderr) = await MonitorTestContainer.ReadFramesToEnd(attach);
            Assert.Equal("bye\n", stdout);
            Assert.Equal("oops\n", stderr);
        }
        var exit = await c.Client.WaitAsync(MonitorTestContainer.Guard());
        Assert.Equal(3, exit.ExitCode);
        var logs = new MemoryStream();
        await JsonFileLogReader.ReadAsync(c.LogPath, new LogReadOptions(), logs, false, () => false, CancellationToken.None);
        Assert.Equal("monprobe\nbye\noops\n", Encoding.UTF8.GetString(logs.ToArray()));
    }
}
