using Berth.Cli.Commands;
using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>The berth command tree: Docker's top-level commands and the container, image and system management commands.</summary>
public static partial class CommandTable
{
    public const string Version = "0.1.0";
    public const string GitCommit = "berth";

    private static Flag B(string name, char? s, string usage, string? def = null) => new(name, s, FlagKind.Bool, usage, def);
    private static Flag S(string name, char? s, string usage, string? def = null, string? type = null) => new(name, s, FlagKind.String, usage, def, type);
    private static Flag L(string name, char? s, string usage, string? type = null) => new(name, s, FlagKind.List, usage, typeName: type);

    public static CommandSpec Build()
    {
        var root = new CommandSpec("berth", "[OPTIONS] COMMAND", "A self-sufficient runtime for containers");
        var container = Management("container", "Manage containers", ContainerCommands());
        var image = Management("image", "Manage images", ImageCommandSpecs());
        var system = Management("system", "Manage Berth", SystemCommandSpecs());
        var volume = Management("volume", "Manage volumes", VolumeCommandSpecs());
        var network = Management("network", "Manage networks", NetworkCommandSpecs());

        // Top-level shortcuts share the specs of the management commands, as docker's do.
        CommandSpec C(string name) => container.Find(name)!;
        CommandSpec I(string name) => image.Find(name)!;
        CommandSpec Sys(string name) => system.Find(name)!;
        root.Subcommands.Add(Alias(C("run"), "run", common: true));
        root.Subcommands.Add(Alias(C("exec"), "exec", common: true));
        root.Subcommands.Add(Alias(C("ls"), "ps", common: true));
        root.Subcommands.Add(Alias(I("ls"), "images", common: true));
        root.Subcommands.Add(Alias(Sys("info"), "info", common: true));
        root.Subcommands.Add(new CommandSpec("version", "[OPTIONS]", "Show the Berth version information", SystemCommands.VersionAsync)
        {
            Common = true, MaxArgs = 0, Flags = { S("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.") },
        });
        root.Subcommands.Add(container);
        root.Subcommands.Add(image);
        root.Subcommands.Add(system);
        root.Subcommands.Add(volume);
        root.Subcommands.Add(network);
        root.Subcommands.Add(Management("builder", "Manage builds",
        [
            new CommandSpec("prune", "[OPTIONS]", "Remove build cache", SystemPruneCommand.BuilderPruneAsync)
            {
                MaxArgs = 0, Flags = { B("all", 'a', "Remove all unused build cache, not just dangling ones"), B("force", 'f', "Do not prompt for confirmation") },
            },
        ]));
        root.Subcommands.Add(Alias(I("pull"), "pull", common: true));
        root.Subcommands.Add(Alias(I("push"), "push", common: true));
        root.Subcommands.Add(new CommandSpec("login", "[OPTIONS] [SERVER]", "Authenticate to a registry.\nDefaults to Docker Hub if no server is specified.", RegistryCommands.LoginAsync)
        {
            MaxArgs = 1,
            Flags = { S("password", 'p', "Password or Personal Access Token (PAT)"), B("password-stdin", null, "Take the Password or Personal Access Token (PAT) from stdin"), S("username", 'u', "Username") },
        });
        root.Subcommands.Add(new CommandSpec("logout", "[SERVER]", "Log out from a registry.\nIf no server is specified, the default is defined by the daemon.", RegistryCommands.LogoutAsync) { MaxArgs = 1 });
        foreach (var name in new[] { "attach", "commit", "cp", "create", "diff", "export", "kill", "logs", "pause", "port", "rename", "restart", "rm", "start", "stats", "stop", "top", "unpause", "wait" })
            root.Subcommands.Add(Alias(C(name), name));
        root.Subcommands.Add(Alias(I("history"), "history"));
        root.Subcommands.Add(Alias(I("import"), "import"));
        root.Subcommands.Add(Alias(I("load"), "load"));
        root.Subcommands.Add(Alias(I("rm"), "rmi"));
        root.Subcommands.Add(Alias(I("save"), "save"));
        root.Subcommands.Add(Alias(I("tag"), "tag"));
        root.Subcommands.Add(Alias(Sys("events"), "events"));
        root.Subcommands.Add(new CommandSpec("inspect", "[OPTIONS] NAME|ID [NAME|ID...]", "Return low-level information on Docker objects", InspectCommand.AnyAsync)
        {
            MinArgs = 1,
            Flags = { FormatFlag(), B("size", 's', "Display total file sizes if the type is container"), S("type", null, "Only inspect objects of the given type") },
        });
        root.Subcommands.Add(new CommandSpec("build", "[OPTIONS] PATH | URL | -", "Build an image from a Dockerfile", BuildCommand.BuildAsync)
        {
            Common = true, // one PATH; --print-ast takes more files, and the command checks its arguments itself
            Flags =
            {
                L("tag", 't', "Name and optionally a tag in the \"name:tag\" format", "list"),
                S("file", 'f', "Name of the Dockerfile (default: \"PATH/Dockerfile\")", type: "string"),
                L("build-arg", null, "Set build-time variables", "list"),
                S("target", null, "Set the target build stage to build", type: "string"),
                B("no-cache", null, "Do not use cache when building the image"),
                B("pull", null, "Always attempt to pull a newer version of the image"),
                L("label", null, "Set metadata for an image", "list"),
                L("secret", null, "Secret to expose to RUN --mount=type=secret (id=ID,src=FILE or id=ID,env=VAR)", "list"),
                B("quiet", 'q', "Suppress the build output and print image ID on success"),
                S("iidfile", null, "Write the image ID to the file", type: "string"),
                S("progress", null, "Set type of progress output (auto, plain, tty); plain says why each step missed the cache", "auto", "string"),
                S("network", null, "Set the networking mode for the RUN instructions during build (default, none, host)", "default", "string"),
                S("print-ast", null, "Print how FILE (and any further FILE arguments) parses, in BuildKit's dump format, and exit", type: "string"),
            },
        });
        root.Subcommands.Add(new CommandSpec("daemon", "[OPTIONS]", "Run the Berth daemon (the API server on /run/berth/berth.sock)", DaemonPlaceholder));
        return root;
    }

    private static Task<int> DaemonPlaceholder(CommandContext ctx)
    {
        ctx.Err.WriteLine("berth: the daemon is started by the berth executable itself; run `berth daemon` from the installed binary");
        return Task.FromResult(1);
    }

    private static CommandSpec Management(string name, string description, IEnumerable<CommandSpec> subs)
    {
        var m = new CommandSpec(name, "COMMAND", description);
        m.Subcommands.AddRange(subs);
        return m;
    }

    /// <summary>The same command under another name (docker ps = docker container ls).</summary>
    private static CommandSpec Alias(CommandSpec spec, string name, bool common = false)
    {
        var alias = new CommandSpec(name, spec.Usage, spec.Description, spec.Handler)
        {
            Flags = spec.Flags, MinArgs = spec.MinArgs, MaxArgs = spec.MaxArgs, Interspersed = spec.Interspersed, Common = common,
        };
        return alias;
    }

    /// <summary>Every path that reaches the command, for the "Aliases:" help section.</summary>
    public static IEnumerable<string> AliasPaths(CommandSpec root, CommandSpec cmd, string path)
    {
        var result = new List<string>();
        var shortcuts = new List<string>();
        foreach (var top in root.Subcommands)
        {
            if (top.Handler != null && top.Handler == cmd.Handler && top.Usage == cmd.Usage) shortcuts.Add("berth " + top.Name);
            foreach (var sub in top.Subcommands)
                if (sub.Handler == cmd.Handler && sub.Usage == cmd.Usage)
                {
                    result.Add($"berth {top.Name} {sub.Name}");
                    result.AddRange(sub.Aliases.Select(a => $"berth {top.Name} {a}"));
                }
        }
        result.AddRange(shortcuts);
        if (result.Count == 0) result.Add(path);
        return result.Distinct();
    }

    private static Flag FormatFlag() => S("format", 'f', "Format output using a custom template:\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");

    private static Flag TableFormatFlag() => S("format", null, "Format output using a custom template:\n'table':            Print output in table format with column headers (default)\n'table TEMPLATE':   Print output in table format using the given Go template\n'json':             Print in JSON format\n'TEMPLATE':         Print output using the given Go template.");
}
