using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>One berth command or management command: usage, flags, argument count and what it does.</summary>
public sealed class CommandSpec
{
    public CommandSpec(string name, string usage, string description, Func<CommandContext, Task<int>>? handler = null)
    {
        Name = name;
        Usage = usage;
        Description = description;
        Handler = handler;
    }

    public string Name { get; }
    /// <summary>The usage after the command path, e.g. "[OPTIONS] IMAGE [COMMAND] [ARG...]".</summary>
    public string Usage { get; }
    public string Description { get; }
    public Func<CommandContext, Task<int>>? Handler { get; }
    public List<Flag> Flags { get; init; } = new();
    public int MinArgs { get; init; }
    public int MaxArgs { get; init; } = int.MaxValue;
    /// <summary>False for run/exec/create: flags after the first argument belong to the container's command.</summary>
    public bool Interspersed { get; init; } = true;
    public string[] Aliases { get; init; } = Array.Empty<string>();
    public List<CommandSpec> Subcommands { get; } = new();
    /// <summary>Listed under "Common Commands" in the top-level help.</summary>
    public bool Common { get; init; }
    public bool Hidden { get; init; }

    public CommandSpec? Find(string name) => Subcommands.FirstOrDefault(c => c.Name == name || c.Aliases.Contains(name));

    /// <summary>Adds the --help flag every command has and returns the flag list.</summary>
    public List<Flag> AllFlags()
    {
        if (!Flags.Any(f => f.Name == "help")) Flags.Add(new Flag("help", null, FlagKind.Bool, "Print usage"));
        return Flags;
    }
}
