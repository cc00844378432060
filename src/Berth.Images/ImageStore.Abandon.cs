using Berth.Core;

namespace Berth.Images;

public sealed partial class ImageStore
{
    /// <summary>
    /// Takes back what a failed transfer (a pull) stored: the given blobs and layer snapshots (parents first), except those an
    /// image or container now uses, so a failure leaves the store as it was.
    /// </summary>
    public void RemoveUnreferenced(IEnumerable<Digest> blobs, IEnumerable<string> chains)
    {
        lock (_gate)
        {
            var (keepChains, keepBlobs) = InUse();
            foreach (var chain in chains.Reverse())
                if (!keepChains.Contains(chain) && Snapshots.HasLayer(chain)) Snapshots.RemoveLayer(chain);
            foreach (var blob in blobs)
                if (!keepBlobs.Contains(blob.ToString())) Content.Delete(blob);
        }
    }
}
