namespace Berth.Integration.Tests;

/// <summary>
/// A layer download cut mid-way through the daemon's pull: resumed with a Range request from where it stopped, and the
/// resumed blob's digest still checked (a registry that lies in the rest of the blob fails the pull, leaving nothing).
/// </summary>
[Collection("daemon")]
[Trait("Category", "Root")]
public sealed class RegistryResumeTests(DaemonFixture fixture)
{
    private readonly BerthDaemon _d = fixture.Daemon;

    private CommandResult Ok(params string[] args) => _d.Ok(args);

    [Fact]
    public void ACutLayerIsResumedAndTheWholeBlobIsVerified()
    {
        using var liar = new LyingRegistry();
        string blobs = Path.Combine(_d.DataRoot, "content", "blobs", "sha256"), snapshots = Path.Combine(_d.DataRoot, "snapshots");
        string ingest = Path.Combine(_d.DataRoot, "content", "ingest");
        int Count(string dir) => Directory.Exists(dir) ? Directory.GetFileSystemEntries(dir).Length : 0;
        int blobsBefore = Count(blobs), snapshotsBefore = Count(snapshots);
        string imagesBefore = Ok("images", "-q", "--no-trunc").Stdout;

        // Resumed from the bytes that arrived: the only Range asked starts after 0 and no later than where the cut was.
        Assert.Contains("Digest: " + liar.ManifestDigest, Ok("pull", $"{liar.HostPort}/cutonce:v1").Stdout);
        long from = long.Parse(liar.Ranges.Single(r => r.StartsWith("cutonce: ", StringComparison.Ordinal))["cutonce: bytes=".Length..].TrimEnd('-'));
        Assert.InRange(from, 1, liar.Layer2Size / 2);
        Ok("rmi", $"{liar.HostPort}/cutonce:v1");

        // The rest of the blob, sent after the cut, is not what the digest says: the whole pull fails and leaves nothing.
        var lied = _d.Berth("pull", $"{liar.HostPort}/cutlie:v1");
        Assert.True(lied.ExitCode == 1, lied.ToString());
        Assert.Contains($"expected {liar.Layer2Size} bytes", lied.Stderr);
        Assert.Contains(liar.Ranges, r => r.StartsWith("cutlie: bytes=", StringComparison.Ordinal));
        Assert.Equal(imagesBefore, Ok("images", "-q", "--no-trunc").Stdout);
        Assert.Equal(blobsBefore, Count(blobs));
        Assert.Equal(snapshotsBefore, Count(snapshots));
        Assert.Empty(Directory.GetFiles(ingest, "pull-*"));

        // A registry that ignores Range (200 with the whole blob), or answers 206 with bytes from another offset: the
        // download starts over rather than appending the wrong bytes.
        foreach (var repo in new[] { "cutnorange", "cutshift" })
        {
            Assert.Contains("Digest: " + liar.ManifestDigest, Ok("pull", $"{liar.HostPort}/{repo}:v1").Stdout);
            Assert.Contains(liar.Ranges, r => r.StartsWith(repo + ": bytes=", StringComparison.Ordinal));
            Ok("rmi", $"{liar.HostPort}/{repo}:v1");
        }
        Assert.Equal(blobsBefore, Count(blobs));
        Assert.Empty(Directory.GetFiles(ingest, "pull-*"));
    }
}
