using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli;

public static partial class CommandTable
{
    private static IEnumerable<CommandSpec> ContainerCommands()
    {
        yield return new("attach", "[OPTIONS] CONTAINER", "Attach local standard input, output, and error streams to a running container", AttachCommand.RunAsync)
        {
            MinArgs = 1, MaxArgs = 1,
            Flags = { S("detach-keys", null, "Override the key sequence for detaching a container"), B("no-stdin", null, "Do not attach STDIN"), B("sig-proxy", null, "Proxy all received signals to the process", "true") },
        };
        yield return new("cp", "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH", "Copy files/folders between a container and the local filesystem", CopyCommand.RunAsync)
        {
            MinArgs = 2, MaxArgs = 2,
            Flags = { B("archive", 'a', "Archive mode (copy all uid/gid information)"), B("follow-link", 'L', "Always follow symbol link in SRC_PATH"), B("quiet", 'q', "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached") },
        };
        yield return new("commit", "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", "Create a new image from a container's changes", SystemPruneCommand.CommitAsync)
        {
            MinArgs = 1, MaxArgs = 2,
            Flags =
            {
                S("author", 'a', "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"), L("change", 'c', "Apply Dockerfile instruction to the created image"),
                S("message", 'm', "Commit message"), B("pause", 'p', "Pause container during commit", "true"),
            },
        };
        yield return new("create", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create a new container", RunCommand.CreateAsync)
        {
            MinArgs = 1, Interspersed = false, Flags = ContainerFlags.Create(),
        };
        yield return new("diff", "CONTAINER", "Inspect changes to files or directories on a container's filesystem", ContainerPruneCommand.DiffAsync) { MinArgs = 1, MaxArgs = 1 };
        yield return new("exec", "[OPTIONS] CONTAINER COMMAND [ARG...]", "Execute a command in a running container", ExecCommand.RunAsync)
        {
            MinArgs = 2, Interspersed = false,
            Flags =
            {
                B("detach", 'd', "Detached mode: run command in the background"), S("detach-keys", null, "Override the key sequence for detaching a container"),
                L("env", 'e', "Set environment variables"), L("env-file", null, "Read in a file of environment variables"),
                B("interactive", 'i', "Keep STDIN open even if not attached"), B("privileged", null, "Give extended privileges to the command"),
                B("tty", 't', "Allocate a pseudo-TTY"), S("user", 'u', "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
                S("workdir", 'w', "Working directory inside the container"),
            },
        };
        yield return new("export", "[OPTIONS] CONTAINER", "Export a container's filesystem as a tar archive", ExportCommand.ExportAsync)
        {
            MinArgs = 1, MaxArgs = 1, Flags = { S("output", 'o', "Write to a file, instead of STDOUT") },
        };
        yield return new("inspect", "[OPTIONS] CONTAINER [CONTAINER...]", "Display detailed information on one or more containers", InspectCommand.ContainerAsync)
        {
            MinArgs = 1, Flags = { FormatFlag(), B("size", 's', "Display total file sizes") },
        };
        yield return new("kill", "[OPTIONS] CONTAINER [CONTAINER...]", "Kill one or more running containers", LifecycleCommands.KillAsync)
        {
            MinArgs = 1, Flags = { S("signal", 's', "Signal to send to the container") },
        };
        yield return new("logs", "[OPTIONS] CONTAINER", "Fetch the logs of a container", LogsCommand.RunAsync)
        {
            MinArgs = 1, MaxArgs = 1,
            Flags =
            {
                B("details", null, "Show extra details provided to logs"), B("follow", 'f', "Follow log output"),
                S("since", null, "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
                S("tail", 'n', "Number of lines to show from the end of the logs", "all"), B("timestamps", 't', "Show timestamps"),
                S("until", null, "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)"),
            },
        };
        yield return new("ls", "[OPTIONS]", "List containers", PsCommand.RunAsync)
        {
            MaxArgs = 0, Aliases = new[] { "ps", "list" },
            Flags =
            {
                B("all", 'a', "Show all containers (default shows just running)"), L("filter", 'f', "Filter output based on conditions provided", "filter"),
                TableFormatFlag(), S("last", 'n', "Show n last created containers (includes all states)", "-1", "int"),
                B("latest", 'l', "Show the latest created container (includes all states)"), B("no-trunc", null, "Don't truncate output"),
                B("quiet", 'q', "Only display container IDs"), B("size", 's', "Display total file sizes"),
            },
        };
        yield return new("pause", "CONTAINER [CONTAINER...]", "Pause all processes within one or more containers", LifecycleCommands.PauseAsync) { MinArgs = 1 };
        yield return new("port", "CONTAINER [PRIVATE_PORT[/PROTO]]", "List port mappings or a specific mapping for the container", PortCommand.RunAsync) { MinArgs = 1, MaxArgs = 2 };
        yield return new("prune", "[OPTIONS]", "Remove all stopped containers", ContainerPruneCommand.PruneAsync)
        {
            MaxArgs = 0, Flags = { L("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"), B("force", 'f', "Do not prompt for confirmation") },
        };
        yield return new("rename", "CONTAINER NEW_NAME", "Rename a container", LifecycleCommands.RenameAsync) { MinArgs = 2, MaxArgs = 2 };
        yield return new("restart", "[OPTIONS] CONTAINER [CONTAINER...]", "Restart one or more containers", LifecycleCommands.RestartAsync)
        {
            MinArgs = 1, Flags = { S("signal", 's', "Signal to send to the container"), S("time", 't', "Seconds to wait before killing the container", type: "int"), S("timeout", null, "Seconds to wait before killing the container", type: "int") },
        };
        yield return new("rm", "[OPTIONS] CONTAINER [CONTAINER...]", "Remove one or more containers", LifecycleCommands.RemoveAsync)
        {
            MinArgs = 1, Aliases = new[] { "remove" },
            Flags = { B("force", 'f', "Force the removal of a running container (uses SIGKILL)"), B("link", 'l', "Remove the specified link"), B("volumes", 'v', "Remove anonymous volumes associated with the container") },
        };
        yield return new("run", "[OPTIONS] IMAGE [COMMAND] [ARG...]", "Create and run a new container from an image", RunCommand.RunAsync)
        {
            MinArgs = 1, Interspersed = false, Flags = ContainerFlags.Run(),
        };
        yield return new("start", "[OPTIONS] CONTAINER [CONTAINER...]", "Start one or more stopped containers", LifecycleCommands.StartAsync)
        {
            MinArgs = 1,
            Flags = { B("attach", 'a', "Attach STDOUT/STDERR and forward signals"), S("detach-keys", null, "Override the key sequence for detaching a container"), B("interactive", 'i', "Attach container's STDIN") },
        };
        yield return new("stats", "[OPTIONS] [CONTAINER...]", "Display a live stream of container(s) resource usage statistics", StatsCommand.RunAsync)
        {
            Flags = { B("all", 'a', "Show all containers (default shows just running)"), TableFormatFlag(), B("no-stream", null, "Disable streaming stats and only pull the first result"), B("no-trunc", null, "Do not truncate output") },
        };
        yield return new("stop", "[OPTIONS] CONTAINER [CONTAINER...]", "Stop one or more running containers", LifecycleCommands.StopAsync)
        {
            MinArgs = 1, Flags = { S("signal", 's', "Signal to send to the container"), S("time", 't', "Seconds to wait before killing the container", type: "int"), S("timeout", null, "Seconds to wait before killing the container", type: "int") },
        };
        yield return new("top", "CONTAINER [ps OPTIONS]", "Display the running processes of a container", TopCommand.RunAsync) { MinArgs = 1, Interspersed = false };
        yield return new("unpause", "CONTAINER [CONTAINER...]", "Unpause all processes within one or more containers", LifecycleCommands.UnpauseAsync) { MinArgs = 1 };
        yield return new("wait", "CONTAINER [CONTAINER...]", "Block until one or more containers stop, then print their exit codes", LifecycleCommands.WaitAsync) { MinArgs = 1 };
    }

    private static IEnumerable<CommandSpec> ImageCommandSpecs()
    {
        yield return new("bootstrap", "[OPTIONS]", "Create busybox:latest from the host's busybox binary (Berth only)", ImageCommands.BootstrapAsync)
        {
            MaxArgs = 0, Flags = { S("busybox", null, "Path of the host's busybox binary", "/bin/busybox"), S("tag", null, "Name of the image to create", "busybox:latest") },
        };
        yield return new("history", "[OPTIONS] IMAGE", "Show the history of an image", ImageCommands.HistoryAsync)
        {
            MinArgs = 1, MaxArgs = 1,
            Flags = { TableFormatFlag(), B("human", 'H', "Print sizes and dates in human readable format", "true"), B("no-trunc", null, "Don't truncate output"), B("quiet", 'q', "Only show image IDs") },
        };
        yield return new("import", "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]", "Import the contents from a tarball to create a filesystem image", ImageCommands.ImportAsync)
        {
            MinArgs = 1, MaxArgs = 2,
            Flags = { L("change", 'c', "Apply Dockerfile instruction to the created image"), S("message", 'm', "Set commit message for imported image"), S("platform", null, "Set platform if server is multi-platform capable") },
        };
        yield return new("inspect", "[OPTIONS] IMAGE [IMAGE...]", "Display detailed information on one or more images", InspectCommand.ImageAsync)
        {
            MinArgs = 1, Flags = { FormatFlag() },
        };
        yield return new("load", "[OPTIONS]", "Load an image from a tar archive or STDIN", ImageCommands.LoadAsync)
        {
            MaxArgs = 0, Flags = { S("input", 'i', "Read from tar archive file, instead of STDIN"), B("quiet", 'q', "Suppress the load output") },
        };
        yield return new("ls", "[OPTIONS] [REPOSITORY[:TAG]]", "List images", ImageListCommand.RunAsync)
        {
            MaxArgs = 1, Aliases = new[] { "list" },
            Flags =
            {
                B("all", 'a', "Show all images (default hides intermediate images)"), B("digests", null, "Show digests"),
                L("filter", 'f', "Filter output based on conditions provided", "filter"), TableFormatFlag(),
                B("no-trunc", null, "Don't truncate output"), B("quiet", 'q', "Only show image IDs"),
            },
        };
        yield return new("prune", "[OPTIONS]", "Remove unused images", ImageCommands.PruneAsync)
        {
            MaxArgs = 0,
            Flags = { B("all", 'a', "Remove all unused images, not just dangling ones"), L("filter", null, "Provide filter values (e.g. \"until=<timestamp>\")", "filter"), B("force", 'f', "Do not prompt for confirmation") },
        };
        yield return new("pull", "[OPTIONS] NAME[:TAG|@DIGEST]", "Download an image from a registry", PullCommand.RunAsync)
        {
            MinArgs = 1, MaxArgs = 1,
            Flags = { B("all-tags", 'a', "Download all tagged images in the repository"), S("platform", null, "Set platform if server is multi-platform capable"), B("quiet", 'q', "Suppress verbose output") },
        };
        yield return new("push", "[OPTIONS] NAME[:TAG]", "Upload an image to a registry", RegistryCommands.PushAsync)
        {
            MinArgs = 1, MaxArgs = 1,
            Flags = { B("all-tags", 'a', "Push all tags of an image to the repository"), B("quiet", 'q', "Suppress verbose output") },
        };
        yield return new("rm", "[OPTIONS] IMAGE [IMAGE...]", "Remove one or more images", ImageCommands.RemoveAsync)
        {
            MinArgs = 1, Aliases = new[] { "remove", "rmi" },
            Flags = { B("force", 'f', "Force removal of the image"), B("no-prune", null, "Do not delete untagged parents") },
        };
        yield return new("save", "[OPTIONS] IMAGE [IMAGE...]", "Save one or more images to a tar archive (streamed to STDOUT by default)", ExportCommand.SaveAsync)
        {
            MinArgs = 1, Flags = { S("output", 'o', "Write to a file, instead of STDOUT") },
        };
        yield return new("tag", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", ImageCommands.TagAsync) { MinArgs = 2, MaxArgs = 2 };
    }

    private static IEnumerable<CommandSpec> SystemCommandSpecs()
    {
        yield return new("df", "[OPTIONS]", "Show disk usage", DiskUsageCommand.RunAsync)
        {
            MaxArgs = 0, Flags = { TableFormatFlag(), B("verbose", 'v', "Show detailed information on space usage") },
        };
        yield return new("events", "[OPTIONS]", "Get real time events from the server", SystemCommands.EventsAsync)
        {
            MaxArgs = 0,
            Flags = { L("filter", 'f', "Filter output based on conditions provided", "filter"), FormatFlag(), S("since", null, "Show all events created since timestamp"), S("until", null, "Stream events until this timestamp") },
        };
        yield return new("info", "[OPTIONS]", "Display system-wide information", SystemCommands.InfoAsync) { MaxArgs = 0, Flags = { FormatFlag() } };
        yield return new("prune", "[OPTIONS]", "Remove unused data", SystemPruneCommand.PruneAsync)
        {
            MaxArgs = 0,
            Flags =
            {
                B("all", 'a', "Remove all unused images not just dangling ones"), L("filter", null, "Provide filter values (e.g. \"label=<key>=<value>\")", "filter"),
                B("force", 'f', "Do not prompt for confirmation"), B("volumes", null, "Prune anonymous volumes"),
            },
        };
    }
}
