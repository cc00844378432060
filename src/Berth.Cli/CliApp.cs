namespace Berth.Cli;

/// <summary>The berth command line (placeholder until the commands land).</summary>
public static class CliApp
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("berth: the command line is not built yet");
        return 125;
    }
}
