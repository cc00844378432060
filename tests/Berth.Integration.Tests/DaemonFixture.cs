namespace Berth.Integration.Tests;

/// <summary>Collection for tests sharing one daemon.</summary>
[CollectionDefinition("daemon")]
public sealed class DaemonCollection : ICollectionFixture<DaemonFixture>
{
}

/// <summary>One daemon with busybox:latest bootstrapped, shared by the tests of the "daemon" collection.</summary>
public sealed class DaemonFixture : IDisposable
{
    public DaemonFixture()
    {
        Daemon = new BerthDaemon();
        var r = Daemon.Berth("image", "bootstrap");
        if (r.ExitCode != 0) throw new InvalidOperationException("berth image bootstrap failed: " + r);
    }

    public BerthDaemon Daemon { get; }

    public void Dispose() => Daemon.Dispose();
}
