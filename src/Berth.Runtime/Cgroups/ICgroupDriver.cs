using Berth.Runtime.Spec;

namespace Berth.Runtime.Cgroups;

/// <summary>One cgroup hierarchy layout (v1 or v2). Lifecycle: Create → AddTask (or born inside) → Stats/OomKilled → KillAll → Remove.</summary>
public interface ICgroupDriver
{
    /// <summary>1 or 2.</summary>
    int Version { get; }

    /// <summary>True when a thread's TID can be placed in the cgroup so that the processes it spawns are born inside (v1 tasks files).</summary>
    bool SupportsThreadPlacement { get; }

    /// <summary>Creates the cgroup at <paramref name="path"/> (relative, e.g. "berth/&lt;id&gt;") and writes the limits.</summary>
    void Create(string path, CgroupSpec spec);

    /// <summary>Moves a thread (v1) or a whole process (v2) into the cgroup.</summary>
    void AddTask(string path, int id);

    /// <summary>PIDs currently in the cgroup.</summary>
    IReadOnlyList<int> Pids(string path);

    /// <summary>Usage and limits.</summary>
    CgroupStats Stats(string path);

    /// <summary>Whether the kernel OOM killer has killed a process in this cgroup.</summary>
    bool OomKilled(string path);

    /// <summary>Sends a signal to every process in the cgroup.</summary>
    void KillAll(string path, int signal);

    void Freeze(string path);

    void Thaw(string path);

    /// <summary>Removes the cgroup, retrying briefly while its last tasks exit; no error when already gone.</summary>
    void Remove(string path);
}
