using Berth.Core;
using Berth.Runtime.Native;

namespace Berth.Runtime.Cgroups;

/// <summary>Reads and writes cgroup control files with messages that name the file.</summary>
internal static class CgroupFiles
{
    public static void Write(string file, string value)
    {
        try
        {
            // cgroupfs wants one write(2) per value; O_TRUNC is ignored there and keeps fake hierarchies in tests exact.
            using var handle = File.OpenHandle(file, FileMode.Create, FileAccess.Write);
            RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(value), 0);
        }
        catch (IOException e)
        {
            throw BerthException.Internal($"write \"{value}\" to {file}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw BerthException.Internal($"write \"{value}\" to {file}: {e.Message}", e);
        }
    }

    public static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A number, or null when the file is missing or says "max".</summary>
    public static long? ReadLong(string file)
    {
        var text = Read(file)?.Trim();
        if (string.IsNullOrEmpty(text) || text == "max")
            return null;
        return long.TryParse(text, out var v) ? v : null;
    }

    /// <summary>The value of "key value" line in a flat-keyed file such as memory.events or cpu.stat.</summary>
    public static long? ReadKey(string file, string key)
    {
        var text = Read(file);
        if (text == null)
            return null;
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[0] == key && long.TryParse(parts[1], out var v))
                return v;
        }
        return null;
    }

    public static List<int> ReadPids(string file)
    {
        var list = new List<int>();
        foreach (var line in (Read(file) ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries))
            if (int.TryParse(line.Trim(), out var pid))
                list.Add(pid);
        return list;
    }

    public static void KillPids(IEnumerable<int> pids, int signal)
    {
        // Never signal ourselves, even if a launcher thread of ours is still listed.
        foreach (var pid in pids)
            if (pid != Environment.ProcessId)
                Libc.kill(pid, signal);
    }

    /// <summary>rmdir with a short retry: the kernel refuses while exiting tasks are still attached.</summary>
    public static void RemoveDir(string dir)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(dir, false);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException e) when (attempt < 50)
            {
                _ = e;
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw BerthException.Internal($"remove cgroup {dir}: {e.Message}", e);
            }
        }
    }

    public static string Join(string root, string path)
    {
        var rel = path.Trim('/');
        if (rel.Length == 0 || rel.Split('/').Any(p => p is ".." or "."))
            throw BerthException.Invalid($"invalid cgroup path \"{path}\"");
        return Path.Combine(root, rel);
    }
}
