using System.Text;
using Berth.Cli.Parsing;

namespace Berth.Cli;

/// <summary>Prints help the way the docker CLI lays it out.</summary>
public static class HelpPrinter
{
    public static string Command(string path, CommandSpec cmd, IEnumerable<string> aliasPaths)
    {
        var sb = new StringBuilder();
        sb.Append("\nUsage:  ").Append(path).Append(' ').Append(cmd.Usage).Append("\n\n").Append(cmd.Description).Append('\n');
        var aliases = aliasPaths.ToList();
        if (aliases.Count > 1) sb.Append("\nAliases:\n  ").Append(string.Join(", ", aliases)).Append('\n');
        if (cmd.Subcommands.Count > 0)
        {
            sb.Append("\nCommands:\n");
            int w = cmd.Subcommands.Where(c => !c.Hidden).Max(c => c.Name.Length);
            foreach (var c in cmd.Subcommands.Where(c => !c.Hidden)) sb.Append("  ").Append(c.Name.PadRight(w + 3)).Append(c.Description).Append('\n');
        }
        var flags = cmd.AllFlags().Where(f => !f.Hidden && f.Name != "help").ToList();
        if (flags.Count > 0) sb.Append("\nOptions:\n").Append(Flags(flags));
        if (cmd.Subcommands.Count > 0) sb.Append("\nRun '").Append(path).Append(" COMMAND --help' for more information on a command.\n");
        return sb.ToString();
    }

    public static string Flags(IEnumerable<Flag> flags)
    {
        var rows = flags.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f =>
        {
            string left = (f.Shorthand is { } s ? $"  -{s}, --" : "      --") + f.Name + (f.TypeName.Length > 0 ? " " + f.TypeName : "");
            string right = f.Usage + (f.DefaultValue is { Length: > 0 } d && f.Kind != FlagKind.Bool ? $" (default \"{d}\")" : f.DefaultValue == "true" ? " (default true)" : "");
            return (left, right);
        }).ToList();
        int width = rows.Max(r => r.left.Length);
        var sb = new StringBuilder();
        foreach (var (left, right) in rows) sb.Append(left.PadRight(width + 3)).Append(right.Replace("\n", "\n" + new string(' ', width + 3))).Append('\n');
        return sb.ToString();
    }

    public static string Root(CommandSpec root, IReadOnlyList<Flag> globalFlags)
    {
        var sb = new StringBuilder();
        sb.Append("\nUsage:  berth [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers (Docker-compatible)\n");
        void Section(string title, IEnumerable<CommandSpec> cmds)
        {
            var list = cmds.ToList();
            if (list.Count == 0) return;
            int w = Math.Max(10, list.Max(c => c.Name.Length));
            sb.Append('\n').Append(title).Append(":\n");
            foreach (var c in list) sb.Append("  ").Append(c.Name.PadRight(w + 2)).Append(c.Description).Append('\n');
        }
        var visible = root.Subcommands.Where(c => !c.Hidden).ToList();
        Section("Common Commands", visible.Where(c => c.Common));
        Section("Management Commands", visible.Where(c => !c.Common && c.Subcommands.Count > 0).OrderBy(c => c.Name, StringComparer.Ordinal));
        Section("Commands", visible.Where(c => !c.Common && c.Subcommands.Count == 0).OrderBy(c => c.Name, StringComparer.Ordinal));
        sb.Append("\nGlobal Options:\n").Append(Flags(globalFlags));
        sb.Append("\nRun 'berth COMMAND --help' for more information on a command.\n");
        return sb.ToString();
    }
}
