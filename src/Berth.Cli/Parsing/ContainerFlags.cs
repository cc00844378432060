namespace Berth.Cli.Parsing;

/// <summary>The flags of docker create and docker run, with Docker's names and help texts.</summary>
public static class ContainerFlags
{
    public static List<Flag> Create() => new()
    {
        new("add-host", null, FlagKind.List, "Add a custom host-to-IP mapping (host:ip)"),
        new("annotation", null, FlagKind.List, "Add an annotation to the container (passed through to the OCI runtime)", typeName: "map"),
        new("attach", 'a', FlagKind.List, "Attach to STDIN, STDOUT or STDERR"),
        new("cap-add", null, FlagKind.List, "Add Linux capabilities"),
        new("cap-drop", null, FlagKind.List, "Drop Linux capabilities"),
        new("cgroup-parent", null, FlagKind.String, "Optional parent cgroup for the container"),
        new("cgroupns", null, FlagKind.String, "Cgroup namespace to use (host|private)"),
        new("cidfile", null, FlagKind.String, "Write the container ID to the file"),
        new("cpu-period", null, FlagKind.String, "Limit CPU CFS (Completely Fair Scheduler) period", typeName: "int"),
        new("cpu-quota", null, FlagKind.String, "Limit CPU CFS (Completely Fair Scheduler) quota", typeName: "int"),
        new("cpu-shares", 'c', FlagKind.String, "CPU shares (relative weight)", typeName: "int"),
        new("cpus", null, FlagKind.String, "Number of CPUs", typeName: "decimal"),
        new("cpuset-cpus", null, FlagKind.String, "CPUs in which to allow execution (0-3, 0,1)"),
        new("cpuset-mems", null, FlagKind.String, "MEMs in which to allow execution (0-3, 0,1)"),
        new("device", null, FlagKind.List, "Add a host device to the container"),
        new("dns", null, FlagKind.List, "Set custom DNS servers"),
        new("dns-option", null, FlagKind.List, "Set DNS options"),
        new("dns-search", null, FlagKind.List, "Set custom DNS search domains"),
        new("domainname", null, FlagKind.String, "Container NIS domain name"),
        new("entrypoint", null, FlagKind.String, "Overwrite the default ENTRYPOINT of the image"),
        new("env", 'e', FlagKind.List, "Set environment variables"),
        new("env-file", null, FlagKind.List, "Read in a file of environment variables"),
        new("expose", null, FlagKind.List, "Expose a port or a range of ports"),
        new("group-add", null, FlagKind.List, "Add additional groups to join"),
        new("health-cmd", null, FlagKind.String, "Command to run to check health"),
        new("health-interval", null, FlagKind.String, "Time between running the check (ms|s|m|h) (default 0s)", typeName: "duration"),
        new("health-retries", null, FlagKind.String, "Consecutive failures needed to report unhealthy", typeName: "int"),
        new("health-start-interval", null, FlagKind.String, "Time between running the check during the start period (ms|s|m|h) (default 0s)", typeName: "duration"),
        new("health-start-period", null, FlagKind.String, "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)", typeName: "duration"),
        new("health-timeout", null, FlagKind.String, "Maximum time to allow one check to run (ms|s|m|h) (default 0s)", typeName: "duration"),
        new("help", null, FlagKind.Bool, "Print usage"),
        new("hostname", 'h', FlagKind.String, "Container host name"),
        new("init", null, FlagKind.Bool, "Run an init inside the container that forwards signals and reaps processes"),
        new("interactive", 'i', FlagKind.Bool, "Keep STDIN open even if not attached"),
        new("ipc", null, FlagKind.String, "IPC mode to use"),
        new("label", 'l', FlagKind.List, "Set meta data on a container"),
        new("label-file", null, FlagKind.List, "Read in a line delimited file of labels"),
        new("log-driver", null, FlagKind.String, "Logging driver for the container"),
        new("log-opt", null, FlagKind.List, "Log driver options"),
        new("mac-address", null, FlagKind.String, "Container MAC address (e.g., 92:d0:c6:0a:29:33)"),
        new("memory", 'm', FlagKind.String, "Memory limit", typeName: "bytes"),
        new("memory-reservation", null, FlagKind.String, "Memory soft limit", typeName: "bytes"),
        new("memory-swap", null, FlagKind.String, "Swap limit equal to memory plus swap: '-1' to enable unlimited swap", typeName: "bytes"),
        new("memory-swappiness", null, FlagKind.String, "Tune container memory swappiness (0 to 100) (default -1)", typeName: "int"),
        new("mount", null, FlagKind.List, "Attach a filesystem mount to the container", typeName: "mount"),
        new("name", null, FlagKind.String, "Assign a name to the container"),
        new("network", null, FlagKind.String, "Connect a container to a network", typeName: "network"),
        new("net", null, FlagKind.String, "Connect a container to a network", hidden: true),
        new("network-alias", null, FlagKind.List, "Add network-scoped alias for the container"),
        new("no-healthcheck", null, FlagKind.Bool, "Disable any container-specified HEALTHCHECK"),
        new("oom-kill-disable", null, FlagKind.Bool, "Disable OOM Killer"),
        new("oom-score-adj", null, FlagKind.String, "Tune host's OOM preferences (-1000 to 1000)", typeName: "int"),
        new("pid", null, FlagKind.String, "PID namespace to use"),
        new("pids-limit", null, FlagKind.String, "Tune container pids limit (set -1 for unlimited)", typeName: "int"),
        new("platform", null, FlagKind.String, "Set platform if server is multi-platform capable"),
        new("privileged", null, FlagKind.Bool, "Give extended privileges to this container"),
        new("publish", 'p', FlagKind.List, "Publish a container's port(s) to the host"),
        new("publish-all", 'P', FlagKind.Bool, "Publish all exposed ports to random ports"),
        new("pull", null, FlagKind.String, "Pull image before running (\"always\", \"missing\", \"never\")", "missing"),
        new("quiet", 'q', FlagKind.Bool, "Suppress the pull output"),
        new("read-only", null, FlagKind.Bool, "Mount the container's root filesystem as read only"),
        new("restart", null, FlagKind.String, "Restart policy to apply when a container exits", "no"),
        new("rm", null, FlagKind.Bool, "Automatically remove the container and its associated anonymous volumes when it exits"),
        new("runtime", null, FlagKind.String, "Runtime to use for this container"),
        new("security-opt", null, FlagKind.List, "Security Options"),
        new("shm-size", null, FlagKind.String, "Size of /dev/shm", typeName: "bytes"),
        new("stop-signal", null, FlagKind.String, "Signal to stop the container"),
        new("stop-timeout", null, FlagKind.String, "Timeout (in seconds) to stop a container", typeName: "int"),
        new("storage-opt", null, FlagKind.List, "Storage driver options for the container"),
        new("sysctl", null, FlagKind.List, "Sysctl options", typeName: "map"),
        new("tmpfs", null, FlagKind.List, "Mount a tmpfs directory"),
        new("tty", 't', FlagKind.Bool, "Allocate a pseudo-TTY"),
        new("ulimit", null, FlagKind.List, "Ulimit options", typeName: "ulimit"),
        new("user", 'u', FlagKind.String, "Username or UID (format: <name|uid>[:<group|gid>])"),
        new("userns", null, FlagKind.String, "User namespace to use"),
        new("uts", null, FlagKind.String, "UTS namespace to use"),
        new("volume", 'v', FlagKind.List, "Bind mount a volume"),
        new("volume-driver", null, FlagKind.String, "Optional volume driver for the container"),
        new("volumes-from", null, FlagKind.List, "Mount volumes from the specified container(s)"),
        new("workdir", 'w', FlagKind.String, "Working directory inside the container"),
    };

    public static List<Flag> Run()
    {
        var flags = Create();
        flags.Add(new("detach", 'd', FlagKind.Bool, "Run container in background and print container ID"));
        flags.Add(new("detach-keys", null, FlagKind.String, "Override the key sequence for detaching a container"));
        flags.Add(new("sig-proxy", null, FlagKind.Bool, "Proxy received signals to the process", "true"));
        flags.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return flags;
    }
}
