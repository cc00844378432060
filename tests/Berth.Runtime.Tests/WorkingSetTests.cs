using System.IO.MemoryMappedFiles;
using Berth.Runtime.Native;

namespace Berth.Runtime.Tests;

public unsafe class WorkingSetTests
{
    [Fact]
    public void FileMappingsKeepsPrivateFileMappingsAndWritableOnlyWhenAsked()
    {
        string[] maps =
        [
            "00400000-00405000 r--p 00000000 fe:00 11657245 /usr/bin/berth",
            "00405000-00da4000 r-xp 00005000 fe:00 11657245 /usr/bin/berth",
            "013cb000-01a06000 rw-p 00fca000 fe:00 11657245 /usr/bin/berth",
            "01a06000-01a52000 rw-p 00000000 00:00 0 ",
            "7f0000000000-7f0000001000 rw-s 00000000 00:01 42 /dev/shm/x",
            "7ffe8d5c2000-7ffe8d5e3000 rw-p 00000000 00:00 0                          [stack]",
        ];
        Assert.Equal([(0x400000, 0x405000), (0x405000, 0xda4000)],
            WorkingSet.FileMappings(maps, includeWritable: false).Select(m => ((long)m.Start, (long)m.End)));
        Assert.Equal(3, WorkingSet.FileMappings(maps, includeWritable: true).Count);
    }

    [Fact]
    public void TrimKeepsWrittenPagesAndRefaultsDroppedOnesFromTheFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            var content = new byte[4 * 4096];
            for (int i = 0; i < content.Length; i++)
                content[i] = (byte)(i / 4096 + 1);
            File.WriteAllBytes(path, content);
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite);
            using var view = file.CreateViewAccessor(0, content.Length, MemoryMappedFileAccess.CopyOnWrite);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            try
            {
                p += view.PointerOffset;
                p[0] = 0xAA; // page 0 becomes a private copy
                int sum = p[4096] + p[2 * 4096]; // pages 1 and 2 stay page-cache pages
                Assert.Equal(5, sum);
                int fd = Libc.open("/proc/self/pagemap", LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
                Assert.True(fd >= 0);
                long dropped;
                try
                {
                    dropped = WorkingSet.TrimRange(fd, (nint)p, (nint)(p + content.Length));
                }
                finally
                {
                    Libc.close(fd);
                }
                Assert.True(dropped >= 2 * 4096, $"dropped {dropped} bytes");
                Assert.Equal(0xAA, p[0]);
                Assert.Equal(1, p[1]);
                Assert.Equal(2, p[4096]);
                Assert.Equal(3, p[2 * 4096]);
                Assert.Equal(4, p[3 * 4096]);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        finally
        {
            File.Delete(path);
        }
    }
}
