namespace Berth.Integration.Tests;

/// <summary>A daemon of the volume tests' own, so volume prune and counts see only what these tests make.</summary>
public sealed class VolumeFixture : IDisposable
{
    public VolumeFixture()
    {
        Daemon = new BerthDaemon();
        var r = Daemon.Berth("image", "bootstrap");
        if (r.ExitCode != 0) throw new InvalidOperationException("berth image bootstrap failed: " + r);
        // An image whose /data has content with its own owner and modes, declared as a VOLUME.
        HostDir = Path.Combine(Daemon.Root, "host");
        Directory.CreateDirectory(HostDir);
        string tar = Path.Combine(Daemon.Root, "rootfs.tar");
        Check(Daemon.Berth("create", "--name", "vt-seed", "busybox", "sh", "-c",
            "mkdir -p /data/sub && echo seeded > /data/f && chown 1234:5678 /data/f /data && chmod 640 /data/f && chmod 750 /data && ln -s f /data/link"));
        Check(Daemon.Berth("start", "-a", "vt-seed"));
        Check(Daemon.Berth("export", "-o", tar, "vt-seed"));
        Check(Daemon.Berth("rm", "vt-seed"));
        Check(Daemon.Berth("import", "--change", "VOLUME /data", "--change", "CMD [\"sh\"]", tar, "vt-seeded:1"));
        File.Delete(tar);
    }

    public BerthDaemon Daemon { get; }

    /// <summary>A host directory under the daemon's temp root for bind mounts.</summary>
    public string HostDir { get; }

    public static CommandResult Check(CommandResult r)
    {
        if (r.ExitCode != 0) throw new InvalidOperationException(r.ToString());
        return r;
    }

    public void Dispose() => Daemon.Dispose();
}
