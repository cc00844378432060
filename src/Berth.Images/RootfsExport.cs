using Berth.Storage;

namespace Berth.Images;

/// <summary>`docker export`: a container's mounted root as a tar (symlinks not followed, other mounts such as /proc written as empty dirs).</summary>
public static class RootfsExport
{
    public static void Write(string mountedRootDir, Stream output) =>
        DirectoryTarWriter.Write(mountedRootDir, output, overlayUpper: false, stayOnFileSystem: true);
}
