namespace Berth.Runtime.Monitor;

/// <summary>How the monitor runs one container; the daemon writes it as monitor.json in the container's state dir next to spec.json.</summary>
public sealed class MonitorConfig
{
    public const string FileName = "monitor.json";

    public string ContainerId { get; set; } = "";
    /// <summary>The json-file log, e.g. /var/lib/berth/containers/&lt;id&gt;/&lt;id&gt;-json.log; empty disables logging.</summary>
    public string LogPath { get; set; } = "";
    /// <summary>Rotate the log past this size; 0 never rotates.</summary>
    public long LogMaxSizeBytes { get; set; } = 10 * 1024 * 1024;
    /// <summary>Log files kept, the current one included (Berth rotates by default; Docker does not).</summary>
    public int LogMaxFiles { get; set; } = 3;
    /// <summary>Give the container a pty (docker run -t).</summary>
    public bool Tty { get; set; }
    /// <summary>Keep the container's stdin open for attach (docker run -i).</summary>
    public bool OpenStdin { get; set; }
    /// <summary>Close the container's stdin when the first attach that brought stdin ends (ignored with a tty, as in Docker).</summary>
    public bool StdinOnce { get; set; }
    public ushort ConsoleHeight { get; set; }
    public ushort ConsoleWidth { get; set; }
    /// <summary>Listen (stdio ready, attach possible) but start the container only on the `start` op, so an attach made
    /// before start (docker run without -d) sees all output.</summary>
    public bool DeferStart { get; set; }
    /// <summary>"namespaced" (production) or "host" (tests: the command runs on the host).</summary>
    public string Starter { get; set; } = "namespaced";
}
