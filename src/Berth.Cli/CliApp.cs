using System.Text;
using Berth.Cli.Output;
using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli;

/// <summary>The berth command line: parses Docker-style commands and flags, calls the daemon, prints Docker's output.</summary>
public static class CliApp
{
    /// <summary>The exit status of a CLI or daemon failure, as docker uses it.</summary>
    public const int FailureExit = 125;

    private static readonly List<Flag> GlobalFlags = new()
    {
        new("host", 'H', FlagKind.String, "Daemon socket to connect to (unix:///path or tcp://host:port)"),
        new("debug", 'D', FlagKind.Bool, "Enable debug mode"),
        new("log-level", 'l', FlagKind.String, "Set the logging level (\"debug\", \"info\", \"warn\", \"error\", \"fatal\")", "info"),
        new("help", null, FlagKind.Bool, "Print usage"),
        new("version", 'v', FlagKind.Bool, "Print version information and quit"),
    };

    /// <summary>Runs one command line and returns the process exit status.</summary>
    public static int Run(string[] args)
    {
        var stdout = new StreamWriter(new Terminal.StdioStream(1), new UTF8Encoding(false), 16 * 1024) { AutoFlush = false };
        var stderr = new StreamWriter(new Terminal.StdioStream(2), new UTF8Encoding(false)) { AutoFlush = true };
        try
        {
            return RunAsync(args, stdout, stderr).GetAwaiter().GetResult();
        }
        finally
        {
            try { stdout.Flush(); } catch (IOException) { }
        }
    }

    /// <summary>Runs one command line writing to the given streams (tests call this).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<EngineClient>? clientFactory = null)
    {
        ParsedFlags global;
        try
        {
            global = FlagParser.Parse(GlobalFlags, args, interspersed: false);
        }
        catch (UsageException e)
        {
            stderr.WriteLine("berth: " + e.Message + "\nSee 'berth --help'.");
            return FailureExit;
        }
        var root = CommandTable.Build();
        if (global.Bool("version"))
        {
            stdout.WriteLine($"Berth version {CommandTable.Version}, build {CommandTable.GitCommit}");
            return 0;
        }
        if (global.Args.Count == 0 || global.Bool("help"))
        {
            stdout.Write(HelpPrinter.Root(root, GlobalFlags));
            return 0;
        }

        var rest = global.Args;
        var cmd = root.Find(rest[0]);
        if (cmd == null)
        {
            stderr.WriteLine($"berth: '{rest[0]}' is not a berth command.\nSee 'berth --help'");
            return 1;
        }
        string path = "berth " + cmd.Name;
        int index = 1;
        while (cmd.Subcommands.Count > 0)
        {
            if (index >= rest.Count || rest[index].StartsWith('-'))
            {
                stdout.Write(HelpPrinter.Command(path, cmd, new[] { path }));
                return 0;
            }
            var sub = cmd.Find(rest[index]);
            if (sub == null)
            {
                stderr.WriteLine($"berth: '{rest[index]}' is not a berth {cmd.Name} command.\nSee '{path} --help'");
                return 1;
            }
            cmd = sub;
            path += " " + cmd.Name;
            index++;
        }

        ParsedFlags flags;
        try
        {
            flags = FlagParser.Parse(cmd.AllFlags(), rest.Skip(index).ToList(), cmd.Interspersed);
            if (flags.Bool("help"))
            {
                stdout.Write(HelpPrinter.Command(path, cmd, CommandTable.AliasPaths(root, cmd, path)));
                return 0;
            }
            CheckArgs(path, cmd, flags.Args.Count);
        }
        catch (UsageException e)
        {
            return Usage(stderr, path, cmd, e);
        }

        Func<EngineClient> factory = clientFactory ?? (() => CreateClient(global.String("host"), stderr));
        var ctx = new CommandContext(path, flags, stdout, stderr, factory);
        try
        {
            return cmd.Handler == null ? 0 : await cmd.Handler(ctx).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            return Usage(stderr, path, cmd, e);
        }
        catch (EngineApiException e)
        {
            await stdout.FlushAsync().ConfigureAwait(false);
            stderr.WriteLine("Error response from daemon: " + e.Message);
            return 1;
        }
        catch (EngineConnectionException e)
        {
            await stdout.FlushAsync().ConfigureAwait(false);
            stderr.WriteLine(e.Message);
            return 1;
        }
        catch (TemplateException e)
        {
            stderr.WriteLine("template parsing error: " + e.Message);
            return 1;
        }
        catch (CommandFailedException e)
        {
            await stdout.FlushAsync().ConfigureAwait(false);
            if (e.Message.Length > 0) stderr.WriteLine(e.Message);
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or ArgumentException or System.Text.Json.JsonException)
        {
            await stdout.FlushAsync().ConfigureAwait(false);
            stderr.WriteLine("berth: " + e.Message);
            return 1;
        }
        catch (Exception e)
        {
            // Never a stack trace: a bug still gets a one-line report and the CLI failure status.
            try { await stdout.FlushAsync().ConfigureAwait(false); } catch (IOException) { }
            stderr.WriteLine($"berth: internal error: {e.GetType().Name}: {e.Message}");
            return FailureExit;
        }
    }

    private static int Usage(TextWriter stderr, string path, CommandSpec cmd, UsageException e)
    {
        if (e.ShowUsage) stderr.WriteLine($"\"{path}\" {e.Message}.\nSee '{path} --help'.\n\nUsage:  {path} {cmd.Usage}\n\n{cmd.Description}");
        else stderr.WriteLine($"{e.Message}\nSee '{path} --help'.");
        return FailureExit;
    }

    private static void CheckArgs(string path, CommandSpec cmd, int count)
    {
        string Plural(int n) => n == 1 ? "argument" : "arguments";
        if (cmd.MinArgs == cmd.MaxArgs && count != cmd.MinArgs)
            throw new UsageException(cmd.MinArgs == 0 ? "accepts no arguments" : $"requires exactly {cmd.MinArgs} {Plural(cmd.MinArgs)}", showUsage: true);
        if (count < cmd.MinArgs) throw new UsageException($"requires at least {cmd.MinArgs} {Plural(cmd.MinArgs)}", showUsage: true);
        if (count > cmd.MaxArgs) throw new UsageException($"requires at most {cmd.MaxArgs} {Plural(cmd.MaxArgs)}", showUsage: true);
    }

    private static EngineClient CreateClient(string? host, TextWriter stderr)
    {
        EngineEndpoint endpoint;
        try
        {
            endpoint = host != null ? EngineEndpoint.Parse(host) : EngineEndpoint.FromEnvironment();
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(1, e.Message);
        }
        var client = new EngineClient(endpoint);
        if (endpoint.IsDefault) client.DaemonStarter = ct => DaemonLauncher.StartAsync(endpoint, stderr, ct);
        return client;
    }
}
