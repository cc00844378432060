using Berth.Cli.Terminal;
using Berth.Core;

namespace Berth.Cli.Commands;

/// <summary>docker pull: POST /images/create?fromImage&amp;tag (no tag with -a), printing the progress stream.</summary>
internal static class PullCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        bool all = ctx.Flags.Bool("all-tags");
        if (!ImageReference.TryParse(ctx.Args[0], defaultTag: !all, out var reference, out string error) || reference == null)
            throw new CommandFailedException(1, $"invalid reference format: {error}");
        if (all && (reference.Tag != null || reference.Digest != null)) throw new CommandFailedException(1, "tag can't be used with --all-tags/-a");
        // fromImage without its tag, as docker sends it; a digest stays in the name.
        string image = reference.Digest != null ? reference.FamiliarName : reference.FamiliarRepository;
        string? tag = reference.Digest != null ? null : reference.Tag;
        bool quiet = ctx.Flags.Bool("quiet");
        using var response = await ctx.Client.PullImageAsync(image, tag, ctx.Flags.String("platform"), RegistryCommands.RegistryAuthFor(image)).ConfigureAwait(false);
        try
        {
            await ProgressPrinter.PrintAsync(response.Body, quiet ? TextWriter.Null : ctx.Out, RawTerminal.IsTerminal(1)).ConfigureAwait(false);
        }
        catch (ProgressException e)
        {
            throw new CommandFailedException(1, e.Message);
        }
        ctx.Out.WriteLine(reference.ToString());
        return 0;
    }
}
