using System.Text.RegularExpressions;
using Berth.Core;

namespace Berth.Build.Parser.Instructions;

/// <summary>Turns syntax-tree nodes into typed instructions and groups them into stages, with BuildKit's argument and flag checks.</summary>
public static partial class InstructionParser
{
    private static readonly string[] Keywords =
    [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
        "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ];

    /// <summary>Parses <paramref name="text"/> and returns its stages and meta ARGs.</summary>
    /// <exception cref="DockerfileParseException">Syntax or instruction errors, naming file and line.</exception>
    public static BuildDefinition ParseDockerfile(string text, string fileName = "Dockerfile")
        => ParseStages(DockerfileParser.Parse(text, fileName));

    /// <summary>Converts a parsed file into stages; ARGs before the first FROM become meta ARGs.</summary>
    /// <exception cref="DockerfileParseException">An instruction error, naming file and line.</exception>
    public static BuildDefinition ParseStages(DockerfileAst ast)
    {
        ArgumentNullException.ThrowIfNull(ast);
        var metaArgs = new List<ArgInstruction>();
        var stages = new List<Stage>();
        FromInstruction? from = null;
        List<Instruction>? current = null;
        foreach (var node in ast.Instructions)
        {
            var instruction = Parse(node, ast.FileName);
            if (instruction is FromInstruction f)
            {
                if (from != null) stages.Add(new Stage(from, current!));
                from = f;
                current = [];
                continue;
            }
            if (from == null)
            {
                if (instruction is ArgInstruction arg)
                {
                    metaArgs.Add(arg);
                    continue;
                }
                throw new DockerfileParseException(ast.FileName, node.StartLine, 1, "no build stage in current context", node.EndLine);
            }
            current!.Add(instruction);
        }
        if (from != null) stages.Add(new Stage(from, current!));
        return new BuildDefinition(metaArgs, stages, ast.EscapeToken);
    }

    /// <summary>Converts one instruction node.</summary>
    /// <exception cref="DockerfileParseException">Unknown instruction, unknown flag or bad arguments, naming file and line.</exception>
    public static Instruction Parse(Node node, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            return ParseCore(node) with { StartLine = node.StartLine, EndLine = node.EndLine, Original = node.Original };
        }
        catch (InstructionException e)
        {
            throw new DockerfileParseException(fileName, node.StartLine, 1, e.Message, node.EndLine);
        }
        catch (BerthException e) when (e is not DockerfileParseException)
        {
            throw new DockerfileParseException(fileName, node.StartLine, 1, e.Message, node.EndLine);
        }
    }

    private static Instruction ParseCore(Node node)
    {
        var args = NodeArgs(node);
        var flags = new FlagSet(node.Flags);
        return node.Value.ToLowerInvariant() switch
        {
            "from" => ParseFrom(args, flags),
            "run" => ParseRun(node, args, flags),
            "cmd" => ParseCmd(node, args, flags),
            "entrypoint" => ParseEntrypoint(node, args, flags),
            "copy" => ParseCopy(node, args, flags),
            "add" => ParseAdd(node, args, flags),
            "env" => new EnvInstruction(KeyValues(args, "ENV", flags)),
            "label" => new LabelInstruction(KeyValues(args, "LABEL", flags)),
            "arg" => ParseArg(args),
            "expose" => ParseExpose(args, flags),
            "volume" => ParseVolume(args, flags),
            "user" => new UserInstruction(ExactlyOne(args, "USER", flags)),
            "workdir" => new WorkdirInstruction(ExactlyOne(args, "WORKDIR", flags)),
            "stopsignal" => new StopsignalInstruction(args.Count == 1 ? args[0] : throw ExactlyOneError("STOPSIGNAL")),
            "maintainer" => new MaintainerInstruction(ExactlyOne(args, "MAINTAINER", flags)),
            "onbuild" => ParseOnbuild(node, args, flags),
            "healthcheck" => ParseHealthcheck(node, args, flags),
            "shell" => ParseShell(node, args, flags),
            _ => throw new InstructionException($"unknown instruction: {node.Value}" + SuggestKeyword(node.Value)),
        };
    }

    // Arguments as BuildKit lists them: the Next chain, with an ONBUILD trigger flattened in.
    private static List<string> NodeArgs(Node node)
    {
        var result = new List<string>();
        for (var arg = node.Next; arg != null; arg = arg.Next)
        {
            if (arg.Children.Count == 0) result.Add(arg.Value);
            else if (arg.Children.Count == 1)
            {
                result.Add(arg.Children[0].Value);
                result.AddRange(NodeArgs(arg.Children[0]));
            }
        }
        return result;
    }

    private static string SuggestKeyword(string value)
    {
        string upper = value.ToUpperInvariant();
        var best = Keywords.MinBy(k => FlagSet.Levenshtein(upper, k));
        return best != null && FlagSet.Levenshtein(upper, best) <= 2 && upper.Length > 1 ? $" (did you mean {best.ToLowerInvariant()}?)" : "";
    }

    private static InstructionException ExactlyOneError(string keyword) => new($"{keyword} requires exactly one argument");

    private static InstructionException AtLeastOneError(string keyword) => new($"{keyword} requires at least one argument");

    private static string ExactlyOne(List<string> args, string keyword, FlagSet flags)
    {
        if (args.Count != 1) throw ExactlyOneError(keyword);
        flags.Parse();
        return args[0];
    }

    [GeneratedRegex("^[a-z][a-z0-9-_.]*$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex(@"^\s*ONBUILD\s*", RegexOptions.IgnoreCase)]
    private static partial Regex OnbuildPrefix();
}
