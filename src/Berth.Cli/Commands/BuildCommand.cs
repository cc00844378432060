using Berth.Build.Parser;
using Berth.Core;

namespace Berth.Cli.Commands;

/// <summary>berth build: for now only --print-ast, the Dockerfile parse in BuildKit's dump format.</summary>
internal static class BuildCommand
{
    public static Task<int> BuildAsync(CommandContext ctx)
    {
        if (ctx.Flags.String("print-ast") is not { Length: > 0 } file)
            throw new CommandFailedException(CliApp.FailureExit, "berth: building images is not available in this version of Berth (berth build --print-ast FILE prints how a Dockerfile parses)");
        try
        {
            string text = file == "-" ? Console.In.ReadToEnd() : File.ReadAllText(file);
            ctx.Out.Write(DockerfileDump.Print(text, file == "-" ? "Dockerfile" : Path.GetFileName(file)));
            return Task.FromResult(0);
        }
        catch (IOException e)
        {
            throw new CommandFailedException(1, $"berth: cannot read {file}: {e.Message}");
        }
        catch (BerthException e)
        {
            throw new CommandFailedException(1, "berth: " + e.Message);
        }
    }
}
