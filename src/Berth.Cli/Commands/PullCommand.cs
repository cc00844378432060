namespace Berth.Cli.Commands;

/// <summary>docker pull: POST /images/create?fromImage, printing the progress stream.</summary>
internal static class PullCommand
{
    public static async Task<int> RunAsync(CommandContext ctx)
    {
        string display = RunCommand.DisplayReference(ctx.Args[0]);
        int at = display.IndexOf('@');
        int colon = display.LastIndexOf(':');
        bool hasTag = at < 0 && colon > display.LastIndexOf('/');
        string image = hasTag ? display[..colon] : display;
        string? tag = hasTag ? display[(colon + 1)..] : null;
        if (ctx.Flags.Bool("all-tags")) tag = null;
        using var response = await ctx.Client.PullImageAsync(image, tag, ctx.Flags.String("platform")).ConfigureAwait(false);
        try
        {
            await ProgressPrinter.PrintAsync(response.Body, ctx.Flags.Bool("quiet") ? TextWriter.Null : ctx.Out).ConfigureAwait(false);
        }
        catch (ProgressException e)
        {
            throw new CommandFailedException(1, e.Message);
        }
        ctx.Out.WriteLine(Berth.Core.ImageReference.TryParse(ctx.Args[0], defaultTag: true, out var reference, out _) && reference != null ? reference.ToString() : display);
        return 0;
    }
}
