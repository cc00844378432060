namespace Berth.Integration.Tests;

/// <summary>The published berth is one file: copied alone into an empty directory, it runs a daemon that keeps its
/// metadata (SQLite is linked in) and starts containers (monitors and inits are the same file).</summary>
public sealed class SingleBinaryTests
{
    [Fact]
    public void ALoneCopyOfTheBinaryRunsTheDaemonAndContainers()
    {
        string dir = Path.Combine(Path.GetTempPath(), "berth-lone-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        try
        {
            string lone = Path.Combine(dir, "berth");
            File.Copy(BerthDaemon.LocateBinary(), lone);
            File.SetUnixFileMode(lone, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Assert.Equal(["berth"], Directory.GetFiles(dir).Select(Path.GetFileName));

            using var d = new BerthDaemon(binary: lone);
            d.Ok("image", "bootstrap");
            Assert.Equal("hello from a lone binary", d.Out("run", "--rm", "busybox", "echo", "hello from a lone binary"));
            Assert.Contains("busybox", d.Out("images", "--format", "{{.Repository}}"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
