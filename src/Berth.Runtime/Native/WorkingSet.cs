using System.Globalization;
using System.Runtime.InteropServices;

namespace Berth.Runtime.Native;

/// <summary>Drops clean file pages (the binary's code and data, shared libraries) from this process's page tables.</summary>
/// <remarks>
/// Starting up reads scattered pages of the 20 MB binary, and the kernel maps up to 16 cached neighbours of each faulted
/// page (fault-around), so a process that then sits in one small loop keeps about 12 MiB of file pages resident that it will
/// not touch again. MADV_DONTNEED on a private file mapping only unmaps page-cache pages: the page cache keeps them and the
/// next access faults the same bytes back in. A page the process has written is anonymous (copy-on-write) and would be
/// lost, so only pages that /proc/self/pagemap reports as file pages are dropped. In a writable mapping another thread could
/// write a page between that check and the madvise, so writable mappings are only trimmed when the caller guarantees that no
/// other thread runs managed code.
/// </remarks>
public static unsafe partial class WorkingSet
{
    private const int MADV_DONTNEED = 4;
    private const int PageShift = 12;
    private const ulong PagePresent = 1UL << 63;
    private const ulong PageFileOrShared = 1UL << 61;
    private const int ChunkPages = 512;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int madvise(nint addr, nuint length, int advice);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint pread(int fd, void* buf, nint count, long offset);

    /// <summary>Unmaps this process's clean file pages; returns the bytes dropped (0 when /proc is unreadable).</summary>
    /// <param name="includeWritable">Also trim writable private file mappings (the binary's .data). Only pass true from a
    /// process whose other threads are idle: the monitor, whose only other thread is the finalizer, after draining it.</param>
    public static long TrimFilePages(bool includeWritable)
    {
        List<(nint Start, nint End)> mappings;
        try
        {
            mappings = FileMappings(File.ReadAllLines("/proc/self/maps"), includeWritable);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        if (includeWritable)
            GC.WaitForPendingFinalizers();
        int fd = Libc.open("/proc/self/pagemap", LinuxConstants.O_RDONLY | LinuxConstants.O_CLOEXEC, 0);
        if (fd < 0)
            return 0;
        // Nothing below allocates: no collection can start, so the finalizer thread stays asleep while pages are checked and dropped.
        long dropped = 0;
        try
        {
            foreach (var (start, end) in mappings)
                dropped += TrimRange(fd, start, end);
        }
        finally
        {
            Libc.close(fd);
        }
        return dropped;
    }

    /// <summary>Drops the clean file pages of one page-aligned range; <paramref name="pagemapFd"/> is open on /proc/self/pagemap.</summary>
    internal static long TrimRange(int pagemapFd, nint start, nint end)
    {
        ulong* entries = stackalloc ulong[ChunkPages];
        long dropped = 0;
        for (nint chunk = start; chunk < end; chunk += ChunkPages << PageShift)
        {
            int pages = (int)Math.Min(ChunkPages, (end - chunk) >> PageShift);
            nint got = pread(pagemapFd, entries, pages * sizeof(ulong), (long)((ulong)chunk >> PageShift) * sizeof(ulong));
            if (got != pages * sizeof(ulong))
                break;
            dropped += DropFileRuns(chunk, entries, pages);
        }
        return dropped;
    }

    private static long DropFileRuns(nint chunk, ulong* entries, int pages)
    {
        long dropped = 0;
        int run = -1;
        for (int i = 0; i <= pages; i++)
        {
            bool clean = i < pages && (entries[i] & (PagePresent | PageFileOrShared)) == (PagePresent | PageFileOrShared);
            if (clean && run < 0)
                run = i;
            else if (!clean && run >= 0)
            {
                nuint length = (nuint)(i - run) << PageShift;
                if (madvise(chunk + (run << PageShift), length, MADV_DONTNEED) == 0)
                    dropped += (long)length;
                run = -1;
            }
        }
        return dropped;
    }

    /// <summary>Private mappings of files from /proc/self/maps lines ("start-end perms offset dev inode path").</summary>
    internal static List<(nint Start, nint End)> FileMappings(IEnumerable<string> mapsLines, bool includeWritable)
    {
        var result = new List<(nint, nint)>();
        foreach (string line in mapsLines)
        {
            string[] f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 6 || f[4] == "0" || f[1].Length < 4 || f[1][3] != 'p' || (f[1][1] == 'w' && !includeWritable))
                continue;
            int dash = f[0].IndexOf('-');
            if (dash < 0
                || !ulong.TryParse(f[0].AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong start)
                || !ulong.TryParse(f[0].AsSpan(dash + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong end))
                continue;
            result.Add(((nint)start, (nint)end));
        }
        return result;
    }
}
