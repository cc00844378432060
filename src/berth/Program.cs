namespace Berth;

/// <summary>Entry point of the single berth binary: picks the mode from the first argument.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "";
        switch (mode)
        {
            case "__init":
                return Berth.Runtime.Init.InitMode.Run(args[1..]);
            case "__exec":
                return Berth.Runtime.Exec.ExecInitMode.Run(args[1..]);
            case "registry":
                return Berth.Distribution.RegistryCommand.Run(args[1..]);
            case "daemon":
                return Berth.Api.DaemonHost.Run(args[1..]);
            case "__monitor":
                return Berth.Runtime.Monitor.MonitorMode.Run(args[1..]);
            default:
                return Berth.Cli.CliApp.Run(args);
        }
    }
}
