namespace Berth;

/// <summary>Entry point of the single berth binary: picks the mode from the first argument.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "";
        switch (mode)
        {
            case "daemon":
                return Berth.Api.DaemonHost.Run(args[1..]);
            case "__monitor":
                return Berth.Runtime.Monitor.MonitorMode.Run(args[1..]);
            default:
                return Berth.Cli.CliApp.Run(args);
        }
    }
}
