using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Berth.Storage.Tests;

/// <summary>Builds layer tars in memory, including hostile ones.</summary>
public sealed class TarBuilder
{
    private readonly MemoryStream _ms = new();
    private readonly TarWriter _w;
    private static readonly DateTimeOffset T = new(2020, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public TarBuilder() => _w = new TarWriter(_ms, TarEntryFormat.Pax, leaveOpen: true);

    public TarBuilder Dir(string name, UnixFileMode mode = (UnixFileMode)0x1ed)
    {
        _w.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = mode, ModificationTime = T });
        return this;
    }

    public TarBuilder File(string name, string content, UnixFileMode mode = (UnixFileMode)0x1a4, int uid = 0, int gid = 0, Dictionary<string, string>? pax = null)
    {
        var e = new PaxTarEntry(TarEntryType.RegularFile, name, pax ?? new Dictionary<string, string>())
        {
            Mode = mode, Uid = uid, Gid = gid, ModificationTime = T,
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
        };
        _w.WriteEntry(e);
        return this;
    }

    public TarBuilder Symlink(string name, string target)
    {
        _w.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = T, Mode = (UnixFileMode)0x1ff });
        return this;
    }

    public TarBuilder Hardlink(string name, string target)
    {
        _w.WriteEntry(new PaxTarEntry(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = T });
        return this;
    }

    public TarBuilder Device(string name, int major, int minor)
    {
        _w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, name) { DeviceMajor = major, DeviceMinor = minor, ModificationTime = T });
        return this;
    }

    public byte[] Bytes()
    {
        _w.Dispose();
        return _ms.ToArray();
    }

    public static byte[] Gzip(byte[] data)
    {
        var o = new MemoryStream();
        using (var gz = new GZipStream(o, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return o.ToArray();
    }

    public static byte[] Zstd(byte[] data)
    {
        using var c = new ZstdSharp.Compressor();
        return c.Wrap(data).ToArray();
    }
}
