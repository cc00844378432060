using Berth.Cli.Parsing;
using Berth.Client;

namespace Berth.Cli;

/// <summary>What a command handler gets: its parsed flags and arguments, the engine client, and the output streams.</summary>
public sealed class CommandContext
{
    private EngineClient? _client;

    public CommandContext(string commandPath, ParsedFlags flags, TextWriter output, TextWriter error, Func<EngineClient> clientFactory)
    {
        CommandPath = commandPath;
        Flags = flags;
        Out = output;
        Err = error;
        ClientFactory = clientFactory;
    }

    /// <summary>"berth container ls" — used in messages.</summary>
    public string CommandPath { get; }
    public ParsedFlags Flags { get; }
    public List<string> Args => Flags.Args;
    public TextWriter Out { get; }
    public TextWriter Err { get; }
    private Func<EngineClient> ClientFactory { get; }

    public EngineClient Client => _client ??= ClientFactory();
}
