namespace Berth.Core;

/// <summary>Where Berth keeps its state: a data root (default /var/lib/berth) and a run dir (default /run/berth).</summary>
public sealed record BerthPaths(string Root, string RunDir)
{
    public static BerthPaths Default => new(
        Environment.GetEnvironmentVariable("BERTH_ROOT") is { Length: > 0 } r ? r : "/var/lib/berth",
        Environment.GetEnvironmentVariable("BERTH_RUN") is { Length: > 0 } d ? d : "/run/berth");

    public string Socket => System.IO.Path.Combine(RunDir, "berth.sock");
    public string ContentDir => System.IO.Path.Combine(Root, "content");
    public string SnapshotsDir => System.IO.Path.Combine(Root, "snapshots");
    public string ContainersDir => System.IO.Path.Combine(Root, "containers");
    public string VolumesDir => System.IO.Path.Combine(Root, "volumes");
    public string TmpDir => System.IO.Path.Combine(Root, "tmp");
    public string MetadataDb => System.IO.Path.Combine(Root, "metadata.db");
    public string RunContainersDir => System.IO.Path.Combine(RunDir, "containers");
}
